import { DomainError, type ErrorCode } from '@pharmatrace/errors';

/** Most labels one registration call holds. */
export const MAX_LABELS_PER_CALL = 10_000;

/** One bad item of a registration: its position in `items`, a stable code and a sentence. */
export interface LabelProblem {
  index: number;
  serial: string;
  code: ErrorCode;
  message: string;
}

/** LABELS_REJECTED with every bad item (details.errors), the first five named in the sentence. */
export function labelsRejected(problems: LabelProblem[]): DomainError {
  const summary = problems
    .slice(0, 5)
    .map((p) => `#${p.index} ${p.code}`)
    .join(', ');
  return new DomainError('LABELS_REJECTED', `The labels were rejected and nothing was stored: ${summary}${problems.length > 5 ? ', …' : ''}.`, { errors: problems });
}

/** The one answer for a pack without a label and for one the caller may not print (hidden answers like missing). */
export function unknownLabel(gtin: string, serial: string): DomainError {
  return new DomainError('UNKNOWN_LABEL', `No label is registered for pack ${gtin} / ${serial} that you may print; register its signature first (labels sign).`, { gtin, serial });
}

/** The one answer for a batch that does not exist and for one whose labels the caller may not print. */
export function unknownBatch(gtin: string, lot: string): DomainError {
  return new DomainError('UNKNOWN_BATCH', `No batch with GTIN ${gtin} and lot ${lot} of yours is registered; check both on the batch record.`, { gtin, lot });
}
