import { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { Logger } from '@nestjs/common';
import { ErrorCodes, isDomainError } from '@pharmatrace/errors';

const log = new Logger('GraphQL');

/** Every error leaves the API with a stable `extensions.code` and no stack trace. */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isDomainError(original)) {
    return {
      message: original.message,
      path: formatted.path,
      extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) },
    };
  }
  const code = formatted.extensions?.code;
  // Refusals raised as GraphQLErrors before execution (limits) or by guards (rate limits) keep their code.
  if (typeof code === 'string' && code in ErrorCodes && code !== 'INTERNAL') {
    const { retryAfterSeconds } = formatted.extensions ?? {};
    return { message: formatted.message, path: formatted.path, extensions: { code, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) } };
  }
  if (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED' || code === 'BAD_USER_INPUT') {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_REQUEST' } };
  }
  log.error(original instanceof Error ? (original.stack ?? original.message) : String(original));
  return { message: 'Internal error; the server log has the details.', path: formatted.path, extensions: { code: 'INTERNAL' } };
}
