// Whether a webhook URL is one this server may POST to: checked when a participant registers it, and again
// before every delivery (a host name may come to resolve elsewhere). Refusals are WEBHOOK_URL_INVALID with a
// sentence that says what to change.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '@pharmatrace/errors';
import { nonPublicAddressClass } from './private-addresses';

/** Longest URL accepted, in characters (the de facto limit of browsers and proxies). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Resolves a host name to every address it has (node:dns `lookup` with `all`); injectable for tests. */
export type HostResolver = (host: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface WebhookUrlPolicy {
  /** config.webhooks.allowPrivateNetworks: loopback and private targets allowed (the embedded default and tests). */
  allowPrivateNetworks: boolean;
  resolve?: HostResolver;
  /** config.webhooks.timeoutMs: a host name that has not resolved by then is refused (default 10 s). */
  timeoutMs?: number;
}

const invalid = (message: string): DomainError => new DomainError('WEBHOOK_URL_INVALID', message);

/**
 * Checks the URL's form, without any network access: an absolute http(s) URL of at most 2,048 characters,
 * with no user name or password and no #fragment; a literal loopback or private IP address (in any spelling
 * the WHATWG URL parser accepts, e.g. http://2130706433/ or http://[::ffff:127.0.0.1]/) or a `localhost` name
 * is refused unless private networks are allowed. Returns the normalised URL. Throws WEBHOOK_URL_INVALID.
 */
export function parseWebhookUrl(raw: string, allowPrivateNetworks: boolean): URL {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid('Give the webhook URL, e.g. https://erp.example.com/pharmatrace/webhook.');
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw invalid(`The webhook URL is ${raw.length} characters long; use one of at most ${MAX_WEBHOOK_URL_LENGTH}.`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid(`"${raw.slice(0, 100)}" is not an absolute URL; give one like https://erp.example.com/pharmatrace/webhook.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(`Webhooks are POSTed over HTTP: use an https:// (or http://) URL, not ${url.protocol}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('Remove the user name and password from the webhook URL: this server never sends credentials in URLs; verify the webhook-signature header instead.');
  }
  if (url.hash !== '') throw invalid('Remove the #fragment from the webhook URL: it is never sent to the receiver.');
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) throw invalid(`The webhook URL is ${url.href.length} characters long once normalised; use one of at most ${MAX_WEBHOOK_URL_LENGTH}.`);
  if (!allowPrivateNetworks) {
    const host = url.hostname.toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost')) throw refusedTarget(url, host, 'loopback');
    const literal = host.replace(/^\[|\]$/g, '');
    const kind = isIP(literal) ? nonPublicAddressClass(literal) : null;
    if (kind) throw refusedTarget(url, literal, kind);
  }
  return url;
}

/**
 * parseWebhookUrl, then (unless private networks are allowed) resolves a host name and refuses it when any
 * of its addresses is not public, or when it does not resolve. Returns the normalised URL text to store.
 * Throws WEBHOOK_URL_INVALID.
 */
export async function validateWebhookUrl(raw: string, policy: WebhookUrlPolicy): Promise<string> {
  const url = parseWebhookUrl(raw, policy.allowPrivateNetworks);
  if (!policy.allowPrivateNetworks) await assertPublicHost(url, policy.resolve ?? systemResolver, AbortSignal.timeout(policy.timeoutMs ?? 10_000));
  return url.href;
}

/**
 * Refuses a host name that resolves to any non-public address (or to none), or that has not resolved when
 * `deadline` aborts (a resolver that never answers must not hold a delivery slot longer than an unanswered
 * POST would: the deliverer passes the attempt's own timeout signal). Literal addresses were judged by
 * parseWebhookUrl.
 */
export async function assertPublicHost(url: URL, resolve: HostResolver, deadline: AbortSignal): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return;
  let addresses: string[];
  try {
    addresses = await withinDeadline(resolve(host), deadline);
  } catch (e) {
    if (e === deadline.reason) throw invalid(`The webhook host ${host} did not resolve in time (no DNS answer before the timeout); register a URL whose host name resolves promptly.`);
    const code = (e as NodeJS.ErrnoException).code ?? 'no answer';
    throw invalid(`The webhook host ${host} does not resolve (${code}); register a URL whose host name has a public DNS record.`);
  }
  if (addresses.length === 0) throw invalid(`The webhook host ${host} does not resolve; register a URL whose host name has a public DNS record.`);
  for (const address of addresses) {
    const kind = nonPublicAddressClass(address);
    if (kind) throw refusedTarget(url, address, kind, host);
  }
}

/** `work`, or a rejection with the signal's reason as soon as it aborts (the lookup itself cannot be cancelled). */
function withinDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  if (deadline.aborted) return Promise.reject(deadline.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadline.reason);
    deadline.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => deadline.removeEventListener('abort', onAbort));
  });
}

function refusedTarget(url: URL, address: string, kind: string, host?: string): DomainError {
  const via = host ? `${host} resolves to ${address}` : `it points at ${address}`;
  return invalid(
    `The webhook URL ${url.origin} is not reachable from the public internet: ${via}, a ${kind} address. Register a public http(s) URL (this server does not call private networks).`,
  );
}
