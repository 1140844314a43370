// Whether an error means "the database cannot be reached right now" rather than a fault in a query: the
// server is down, restarting or refusing connections, or the connection was cut. Such requests are
// answered 503 DATABASE_UNAVAILABLE (retry later), never INTERNAL; the pool reconnects by itself once the
// server is back.

/** SQLSTATE classes and codes of an unreachable server (PostgreSQL, Appendix A): 08 connection exception,
 *  57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now. */
const UNAVAILABLE_SQLSTATES = /^(08\d{3}|57P0[123])$/;
/** Node's socket errors when the server is not there or went away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** node-postgres' own messages for a connection that ended under it. */
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection due to administrator command/i;

/** True when `error` (or its TypeORM `driverError`, or its `cause`) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATES.test(e.code) || SOCKET_CODES.has(e.code))) return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  // AggregateError (a refused connection tried on IPv4 and IPv6) lists its causes in `errors`.
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

/** Seconds a client is told to wait (Retry-After) before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
