// The one error type of ledger-core. Every code it can carry is listed here, so callers can map
// codes to their own error responses without reading the rest of the library.

/** Every code a LedgerCoreError can carry. */
export const LEDGER_CORE_ERROR_CODES = [
  'BAD_HEX',
  'BAD_BASE64',
  'NOT_CANONICALIZABLE',
  'BAD_HASH',
  'BAD_SECRET_KEY',
  'KEY_MISMATCH',
  'INVALID_ENVELOPE',
  'INVALID_HEADER',
  'BAD_LEAF_HASH',
  'BAD_FRONTIER',
  'BAD_TREE_SIZE',
  'BAD_PROOF_REQUEST',
  'MISSING_NODE',
] as const;

export type LedgerCoreErrorCode = (typeof LEDGER_CORE_ERROR_CODES)[number];

/** One precise reason an input was refused; `path` points into the input, e.g. `assets[2].prev`. */
export interface Problem {
  code: string;
  path: string;
  message: string;
}

export class LedgerCoreError extends Error {
  constructor(
    readonly code: LedgerCoreErrorCode,
    message: string,
    /** Present when the error sums up a validation: one entry per thing that was wrong. */
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'LedgerCoreError';
  }
}

/** Formats problems as one sentence-like list for error messages. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
}
