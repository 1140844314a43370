import { DomainError } from '@pharmatrace/errors';

/**
 * The one answer for a recall that does not exist and for one the caller may not see (docs/access-model.md:
 * hidden answers exactly like missing): the same code and sentence on the read and the write path.
 */
export function unknownRecall(recallId: string): DomainError {
  return new DomainError('UNKNOWN_RECALL', `No recall ${recallId} exists; check the id (recall:<id>) in the notice you received.`, { recall: recallId });
}
