import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { Logger } from '@nestjs/common';
import { ErrorCodes, isDomainError } from '@pharmatrace/errors';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '@pharmatrace/database/database-unavailable';

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
  // Validation rules' own codes (the limits) survive Apollo's GRAPHQL_VALIDATION_FAILED wrapping here.
  const ruleCode = error instanceof GraphQLError ? (error.originalError as GraphQLError | undefined)?.extensions?.code : undefined;
  const code = typeof ruleCode === 'string' && ruleCode in ErrorCodes ? ruleCode : formatted.extensions?.code;
  // Refusals raised as GraphQLErrors before execution (limits) or by guards (rate limits) keep their code.
  if (typeof code === 'string' && code in ErrorCodes && code !== 'INTERNAL') {
    const { retryAfterSeconds } = formatted.extensions ?? {};
    return { message: formatted.message, path: formatted.path, extensions: { code, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) } };
  }
  if (code === 'GRAPHQL_PARSE_FAILED' && /tokens/.test(formatted.message)) {
    return { message: `${formatted.message} Send a shorter document (put data in variables).`, extensions: { code: 'QUERY_TOO_COSTLY' } };
  }
  if (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED' || code === 'BAD_USER_INPUT') {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_REQUEST' } };
  }
  if (isDatabaseUnavailable(original)) {
    // Not a fault of the request or the code: the database is down or restarting (HTTP 503, see databaseUnavailableStatusPlugin).
    log.warn(`database unavailable: ${original instanceof Error ? original.message : String(original)}`);
    return { message: ErrorCodes.DATABASE_UNAVAILABLE, path: formatted.path, extensions: { code: 'DATABASE_UNAVAILABLE', retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS } };
  }
  log.error(original instanceof Error ? (original.stack ?? original.message) : String(original));
  return { message: 'Internal error; the server log has the details.', path: formatted.path, extensions: { code: 'INTERNAL' } };
}
