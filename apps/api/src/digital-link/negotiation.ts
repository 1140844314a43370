// Content negotiation for the resolver: JSON for apps (`Accept: application/json`, or `?format=json` for
// clients that cannot set headers), HTML for browsers and anything else.
import Negotiator from 'negotiator';

/** Offered in this order, so that on a tie (any type accepted, or no Accept at all) a browser gets the page. */
const OFFERED = ['text/html', 'application/json'];

/** True when the client asked for JSON (RFC 9110 §12.5.1 preference, read by `negotiator`), or `format=json`. */
export function wantsJson(accept: string | undefined, format: string | undefined): boolean {
  if (format === 'json') return true;
  if (!accept) return false;
  return new Negotiator({ headers: { accept } }).mediaType(OFFERED) === 'application/json';
}
