import { IntrinsicException } from '@nestjs/common';
import { ErrorCode, ErrorCodes } from './error-codes';

/**
 * An error a user can act on: a stable code, a sentence, and optional structured details. Intrinsic, so
 * Nest does not log a refused input as a server fault.
 */
export class DomainError extends IntrinsicException {
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
