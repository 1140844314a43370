/**
 * The EPCIS event hash ID of CBV 2.0 §8.9 (`ni:///sha-256;<64 hex>?ver=CBV2.0`): a content-derived `eventID` that
 * any party computes identically from the same event, however it was serialised (property order, EPC URN or GS1
 * Digital Link, time zone, bare or full CBV vocabulary).
 *
 * A faithful port of the reference generator github.com/RalphTro/epcis-event-hash-generator (MIT, commit 5d2f1c3,
 * `hash_generator.py`), pinned by its test vectors in test/vectors/epcis/event-hash/. Framework-free (no Nest, no
 * TypeORM, no node: imports): hashing is `@noble/hashes`, so it runs in a browser too.
 *
 * Pre-hash string: `eventType=<type>` + the properties in the canonical order (PROP_ORDER below), each as
 * `name=value` or `name` + children, same-name values sorted; then the event's user extensions and any remaining
 * properties, sorted. Excluded: `eventID`, `recordTime`, `errorDeclaration`, `type` (already first) and comments.
 * Values: timestamps → UTC millisecond `YYYY-MM-DDTHH:MM:SS.mmmZ` (half-even rounding); EPC URIs / GS1 Digital Link
 * URIs → canonical `https://id.gs1.org/...`; `urn:epcglobal:cbv:*` → `https://ref.gs1.org/cbv/*`; numbers → shortest
 * form (`26.0` → `26`); CURIEs with a prefix of the document's @context → full IRIs.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { normaliseGs1Identifier } from './dl-normaliser';
import {
  compareCodePoints,
  correctStructure,
  expandBareStrings,
  isPair,
  jsonToTree,
  namespacesFromContext,
  pyNumber,
  type HashItem,
  type HashNode,
} from './event-hash-tree';

/** A property order: `[name, sub-order | null]`; a list-of-pairs order is the reference's `[[type, value]]` tuple. */
type PropOrder = ReadonlyArray<readonly [string | PropOrderPairKey, PropOrder | null | PropOrderPairKey]>;
type PropOrderPairKey = readonly [string, null];

const EPC: PropOrder = [['epc', null]];
const QUANTITY: PropOrder = [['quantityElement', [['epcClass', null], ['quantity', null], ['uom', null]]]];
const pairOrder = (kind: string): PropOrder => [[['type', null], [kind, null]]];

/** The canonical property order of the pre-hash string (reference `PROP_ORDER`, CBV 2.0 §8.9.2). */
export const EPCIS_HASH_PROPERTY_ORDER: PropOrder = [
  ['eventTime', null], ['eventTimeZoneOffset', null], ['certificationInfo', null], ['parentID', null],
  ['epcList', EPC], ['inputEPCList', EPC], ['childEPCs', EPC],
  ['quantityList', QUANTITY], ['childQuantityList', QUANTITY], ['inputQuantityList', QUANTITY],
  ['outputEPCList', EPC], ['outputQuantityList', QUANTITY],
  ['action', null], ['transformationID', null], ['bizStep', null], ['disposition', null],
  ['persistentDisposition', [['set', null], ['unset', null]]],
  ['readPoint', [['id', null]]], ['bizLocation', [['id', null]]],
  ['bizTransactionList', pairOrder('bizTransaction')], ['sourceList', pairOrder('source')],
  ['destinationList', pairOrder('destination')],
  ['sensorElementList', [['sensorElement', [
    ['sensorMetadata', ['time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod',
      'bizRules'].map((n) => [n, null] as const)],
    ['sensorReport', ['type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'time',
      'microorganism', 'chemicalSubstance', 'value', 'component', 'stringValue', 'booleanValue', 'hexBinaryValue',
      'uriValue', 'minValue', 'maxValue', 'meanValue', 'sDev', 'percRank', 'percValue', 'uom',
      'coordinateReferenceSystem'].map((n) => [n, null] as const)],
  ]]]],
];

const IGNORED_TOP_LEVEL = ['recordTime', 'eventID', 'type', 'errorDeclaration'];

/** Python's `str.strip()` whitespace. */
function pyStrip(text: string): string {
  return text.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, '');
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * `_fix_time_stamp_format`: an ISO 8601 date-time → UTC at millisecond precision, `...T..:..:..mmmZ`; microseconds
 * (fraction truncated to 6 digits) rounded half-to-even to milliseconds. Unparseable text is returned unchanged.
 * A time without offset is read as UTC (the reference reads it in the generating machine's local zone).
 */
export function normaliseEpcisTimestamp(timestamp: string): string {
  const m = ISO_TIME.exec(timestamp);
  if (!m) return timestamp;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const micro = Number(frac.padEnd(6, '0').slice(0, 6));
  let millis = Math.floor(micro / 1000);
  const rest = micro % 1000;
  if (rest > 500 || (rest === 500 && millis % 2 === 1)) millis += 1;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * (zone[0] === '-' ? -1 : 1);
  }
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  if (Number.isNaN(utc)) return timestamp;
  // A year below 100 would be shifted by Date.UTC; the reference handles years 1-9999, EPCIS events never need that.
  return new Date(utc + millis).toISOString();
}

const CBV_URNS: ReadonlyArray<readonly [string, string]> = [
  ['urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-'],
  ['urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-'],
  ['urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-'],
  ['urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-'],
  ['urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-'],
];
const PY_FLOAT = /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/;

/** `_canonize_value`: CBV URN → web vocabulary, numeric canonical form, GS1 identifiers → canonical DL URI. */
export function canonicaliseEpcisValue(value: string): string {
  let text = value;
  for (const [urn, web] of CBV_URNS) text = text.replaceAll(urn, web);
  if (PY_FLOAT.test(text)) {
    const n = Number(text.replaceAll('_', ''));
    if (Number.isFinite(n)) text = pyNumber(n);
  }
  return normaliseGs1Identifier(text) ?? text;
}

function childToPreHash(child: HashNode, subOrder: PropOrder | null): string {
  const grandChildText = subOrder ? recurseInOrder(child[2], subOrder) : '';
  let text = '';
  if (child[1]) {
    text = pyStrip(child[1]);
    const lower = child[0].toLowerCase();
    text = lower.includes('time') && !lower.includes('offset') ? normaliseEpcisTimestamp(text) : canonicaliseEpcisValue(text);
    if (text) text = '=' + text;
  }
  return text || grandChildText ? child[0] + text + grandChildText : '';
}

function removeItem(list: HashItem[], item: HashItem): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}

/** `_gather_user_extensions`: namespaced (`{iri/}name`) children of a nested element, taken out of the list. */
function gatherUserExtensions(children: HashItem[]): HashItem[] {
  if (children.length <= 1) return [];
  if (children.some((c) => !isPair(c) && (c[0].includes('eventTime') || c[0].includes('action')))) return [];
  const extensions = children.filter((c) => !isPair(c) && c[0].includes('{') && c[0].includes('/}'));
  for (const extension of extensions) removeItem(children, extension);
  return extensions;
}

/** `_recurse_through_children_in_order`; consumes from `children` what it writes. */
function recurseInOrder(children: HashItem[], order: PropOrder): string {
  let preHash = '';
  const userExtensions = gatherUserExtensions(children);
  for (const [name, subOrder] of order) {
    // A pair-list order (`[[type, null], [value, null]]`) never matches a child name, as in the reference.
    if (typeof name !== 'string') continue;
    const sub = subOrder as PropOrder | null;
    const values: string[] = [];
    for (const child of children.filter((c): c is HashNode => !isPair(c) && c[0] === name)) {
      const text = childToPreHash(child, sub);
      if (text) values.push(text);
      if (child[2].length === 0) removeItem(children, child);
    }
    values.sort(compareCodePoints);
    preHash += values.join('');
  }
  if (userExtensions.length > 0) preHash += genericPreHash(userExtensions);
  return preHash;
}

function shouldSort(children: readonly HashItem[]): boolean {
  return !children.some((c) => !isPair(c) && ['bizTransaction', 'source', 'destination'].includes(c[0]));
}

/** `_generic_child_list_to_prehash_string`: everything outside the canonical order, sorted. */
function genericPreHash(children: readonly HashItem[]): string {
  const values = children.map((child) => {
    if (isPair(child)) return genericPreHash(child);
    let text = pyStrip(child[1]);
    if (text) text = '=' + canonicaliseEpcisValue(text);
    return child[0] + text + genericPreHash(child[2]);
  });
  if (children.length > 1 && shouldSort(children)) values.sort(compareCodePoints);
  return values.join('');
}

/**
 * The canonical pre-hash string of one EPCIS 2.0 JSON(-LD) event (as in an EPCISDocument's `eventList`).
 * `context` is the document's `@context` (defaults to the event's own `@context`); its prefix entries
 * (`{"example": "https://ns.example.com/epcis/"}`) name user extensions and expand CURIE values.
 */
export function epcisPreHashString(event: Record<string, unknown>, context?: unknown): string {
  const namespaces = namespacesFromContext(context ?? event['@context']);
  const expanded = expandBareStrings(structuredClone(event));
  const tree = correctStructure(jsonToTree(expanded, namespaces));
  const ordered = recurseInOrder(tree[2], EPCIS_HASH_PROPERTY_ORDER);
  const rest = tree[2].filter((c) => isPair(c) || !IGNORED_TOP_LEVEL.includes(c[0]));
  return 'eventType=' + tree[0] + ordered + (rest.length > 0 ? genericPreHash(rest) : '');
}

/**
 * The CBV 2.0 §8.9 event hash ID, `ni:///sha-256;<lowercase hex SHA-256 of the UTF-8 pre-hash string>?ver=CBV2.0`
 * (RFC 6920 named information URI), for use as the event's `eventID`.
 */
export function epcisEventHashId(event: Record<string, unknown>, context?: unknown): string {
  return `ni:///sha-256;${bytesToHex(sha256(utf8ToBytes(epcisPreHashString(event, context))))}?ver=CBV2.0`;
}
