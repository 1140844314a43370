// Strict validation of an untrusted event envelope. Strict on purpose: unknown fields are refused
// so that the hash (and so the signature) covers exactly what the ledger interprets.
import { canonicalBytes, findUnrepresentable } from './canonical';
import { LedgerCoreError } from './errors';
import {
  MAX_ASSETS_PER_EVENT,
  MAX_EVENT_BYTES,
  type EnvelopeCheck,
  type EnvelopeProblem,
  type EventData,
  type EventEnvelope,
} from './envelope-types';
import { checkMembers, isBoundedString, isHashHex, isPlainObject, isUtcTimestamp, joinPath, ProblemList } from './validation';

const ENVELOPE_FIELDS = ['type', 'id', 'actor', 'kid', 'at', 'assets', 'data'] as const;
const ASSET_FIELDS = ['id', 'prev'] as const;
const TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const MAX_TYPE_LENGTH = 64;
const EVENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_NAME_LENGTH = 128;
// Whitespace and control characters would make ids that look equal but are not.
const ASSET_ID_PATTERN = /^[^\s\u0000-\u001f\u007f]{1,200}$/;

/** Result of inspecting an envelope; `canonical` is kept so callers need not canonicalize twice. */
export interface EnvelopeInspection {
  problems: EnvelopeProblem[];
  event: EventEnvelope | null;
  canonical: Uint8Array | null;
}

/** Validates `input`; problem paths start with `prefix` (e.g. `event` inside a signed event). */
export function inspectEnvelope(input: unknown, prefix = ''): EnvelopeInspection {
  const problems = new ProblemList();
  if (!isPlainObject(input)) {
    problems.add('NOT_AN_OBJECT', prefix, 'The event envelope must be a JSON object.');
    return { problems: problems.items, event: null, canonical: null };
  }
  checkMembers(input, ENVELOPE_FIELDS, ENVELOPE_FIELDS, prefix, problems);
  const at = (key: string): string => joinPath(prefix, key);
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(input, key);

  if (has('type') && !(isBoundedString(input.type, 1, MAX_TYPE_LENGTH) && TYPE_PATTERN.test(input.type))) {
    problems.add('BAD_TYPE', at('type'), `"type" must be dotted lowercase words like "custody.shipped", at most ${MAX_TYPE_LENGTH} characters.`);
  }
  if (has('id') && !(typeof input.id === 'string' && EVENT_ID_PATTERN.test(input.id))) {
    problems.add('BAD_ID', at('id'), '"id" must be 1 to 128 characters of A-Z, a-z, 0-9 and . _ : -');
  }
  if (has('actor') && !isBoundedString(input.actor, 1, MAX_NAME_LENGTH)) {
    problems.add('BAD_ACTOR', at('actor'), `"actor" must be a non-empty string of at most ${MAX_NAME_LENGTH} characters.`);
  }
  if (has('kid') && !isBoundedString(input.kid, 1, MAX_NAME_LENGTH)) {
    problems.add('BAD_KID', at('kid'), `"kid" must be a non-empty string of at most ${MAX_NAME_LENGTH} characters.`);
  }
  if (has('at') && !isUtcTimestamp(input.at)) {
    problems.add('BAD_TIMESTAMP', at('at'), '"at" must be a real UTC time written as YYYY-MM-DDTHH:MM:SS.sssZ (milliseconds optional).');
  }
  if (has('assets')) checkAssets(input.assets, at('assets'), problems);
  if (has('data')) checkData(input.data, at('data'), problems);

  let canonical: Uint8Array | null = null;
  try {
    canonical = canonicalBytes(input);
  } catch (err) {
    // Only worth saying when nothing more precise was found: a bad field usually explains it.
    if (problems.empty) {
      const where = findUnrepresentable(input);
      const reason = err instanceof LedgerCoreError ? err.message : 'The event cannot be written as canonical JSON.';
      problems.add('NOT_CANONICALIZABLE', joinPath(prefix, where?.path ?? ''), reason);
    }
  }
  if (canonical !== null && canonical.length > MAX_EVENT_BYTES) {
    problems.add('TOO_LARGE', prefix, `The canonical event is ${canonical.length} bytes; the limit is ${MAX_EVENT_BYTES}.`);
  }
  if (!problems.empty) return { problems: problems.items, event: null, canonical: null };
  return { problems: [], event: input as unknown as EventEnvelope, canonical };
}

function checkAssets(assets: unknown, path: string, problems: ProblemList): void {
  if (!Array.isArray(assets)) {
    problems.add('BAD_ASSETS', path, '"assets" must be an array of { id, prev } objects (it may be empty).');
    return;
  }
  if (assets.length > MAX_ASSETS_PER_EVENT) {
    // Checking each of a huge list would only multiply the cost of a request that fails anyway.
    problems.add('BAD_ASSETS', path, `An event may touch at most ${MAX_ASSETS_PER_EVENT} items; this one lists ${assets.length}.`);
    return;
  }
  const firstIndexById = new Map<string, number>();
  assets.forEach((asset: unknown, i: number) => {
    const itemPath = `${path}[${i}]`;
    if (!isPlainObject(asset)) {
      problems.add('BAD_ASSETS', itemPath, 'Each asset must be an object { id, prev }.');
      return;
    }
    checkMembers(asset, ASSET_FIELDS, ASSET_FIELDS, itemPath, problems);
    if (Object.prototype.hasOwnProperty.call(asset, 'id')) {
      if (typeof asset.id === 'string' && ASSET_ID_PATTERN.test(asset.id)) {
        const first = firstIndexById.get(asset.id);
        if (first === undefined) firstIndexById.set(asset.id, i);
        else problems.add('DUPLICATE_ASSET', `${itemPath}.id`, `Item "${asset.id}" is already listed at ${path}[${first}].`);
      } else {
        problems.add('BAD_ASSET_ID', `${itemPath}.id`, 'An asset id must be 1 to 200 characters with no whitespace or control characters.');
      }
    }
    if (Object.prototype.hasOwnProperty.call(asset, 'prev') && asset.prev !== null && !isHashHex(asset.prev)) {
      problems.add('BAD_PREV', `${itemPath}.prev`, '"prev" must be null (item created by this event) or the 64 lowercase hex digits of the item\'s head event hash.');
    }
  });
}

function checkData(data: unknown, path: string, problems: ProblemList): void {
  if (!isPlainObject(data)) {
    problems.add('BAD_DATA', path, '"data" must be a JSON object carrying a schema version "v".');
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(data, 'v')) {
    problems.add('MISSING_FIELD', `${path}.v`, '"v" (the data schema version) is required.');
  } else if (!(typeof data.v === 'number' && Number.isSafeInteger(data.v) && data.v >= 1)) {
    problems.add('BAD_DATA_VERSION', `${path}.v`, '"v" must be an integer of at least 1.');
  }
}

export function validateEnvelope(input: unknown): EnvelopeCheck<EventData> {
  const inspection = inspectEnvelope(input);
  if (inspection.event === null) return { ok: false, problems: inspection.problems };
  return { ok: true, event: inspection.event };
}
