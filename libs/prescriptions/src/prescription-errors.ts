import { DomainError } from '@pharmatrace/errors';

/**
 * The one answer for a prescription that does not exist and for one the caller may not see (another
 * prescriber's): the same code and sentence on the write path, wherever it is raised.
 */
export function unknownPrescription(assetId: string): DomainError {
  return new DomainError('UNKNOWN_PRESCRIPTION', `No prescription ${assetId} exists.`, { prescription: assetId });
}
