import { ErrorCode, ErrorCodes } from './error-codes';

/** An error a user can act on: a stable code, a sentence, and optional structured details. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? ErrorCodes[code]);
    this.name = 'DomainError';
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
