// Query parameters of the EPCIS 2.0 REST binding subset (GET /epcis/events) and of GET /epcis/export, parsed into
// an EpcisSelection. Every malformed value answers EPCIS_INVALID_PARAMETER (or EPCIS_INVALID_PAGE_TOKEN) and names it.
import { DomainError } from '@pharmatrace/errors';
import { assetIdOfEpc } from '@pharmatrace/epcis/export';
import { EpcisScope, EpcisSelection, MAX_PER_PAGE } from './epcis-event-selection';

export type RawQuery = Record<string, string | string[] | undefined>;

const EVENTS_PARAMS = new Set(['EQ_bizStep', 'MATCH_epc', 'MATCH_anyEPC', 'GE_eventTime', 'LT_eventTime', 'perPage', 'nextPageToken']);
const EXPORT_PARAMS = new Set(['item', 'batch', 'from', 'to', 'nextPageToken']);
const BIZSTEP = /^(?:https:\/\/ref\.gs1\.org\/cbv\/BizStep-|urn:epcglobal:cbv:bizstep:)?([a-z_]{1,40})$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DEFAULT_PER_PAGE = 100;

const bad = (message: string): DomainError => new DomainError('EPCIS_INVALID_PARAMETER', message);

function single(q: RawQuery, name: string): string | null {
  const v = q[name];
  if (v === undefined) return null;
  if (Array.isArray(v) || v.length === 0 || v.length > 300) throw bad(`Give ${name} once, with a value of 1–300 characters.`);
  return v;
}

function time(q: RawQuery, name: string): Date | null {
  const v = single(q, name);
  if (v === null) return null;
  const d = new Date(v);
  if (!ISO_TIME.test(v) || Number.isNaN(d.getTime())) throw bad(`${name} must be an ISO 8601 date-time with its offset, e.g. 2026-03-01T00:00:00Z.`);
  return d;
}

function unknownParams(q: RawQuery, allowed: Set<string>): void {
  const extra = Object.keys(q).filter((k) => !allowed.has(k));
  if (extra.length > 0) throw bad(`Unsupported parameter ${extra[0]}; this server supports ${[...allowed].join(', ')}.`);
}

/** The keyset token: base64url of `pt1:<seq>`, the last ledger seq the previous page examined. */
export const pageToken = (afterSeq: number): string => Buffer.from(`pt1:${afterSeq}`).toString('base64url');

function afterSeqOf(q: RawQuery): number {
  const v = single(q, 'nextPageToken');
  if (v === null) return 0;
  const m = /^pt1:(\d{1,15})$/.exec(Buffer.from(v, 'base64url').toString('utf8'));
  if (!/^[A-Za-z0-9_-]+$/.test(v) || !m) throw new DomainError('EPCIS_INVALID_PAGE_TOKEN', 'The nextPageToken is not one this server issued; follow the Link rel="next" URL as given.');
  return Number(m[1]);
}

function epcAsset(v: string, name: string): string {
  const id = assetIdOfEpc(v);
  if (!id) throw bad(`${name} must be a GS1 Digital Link pack (https://id.gs1.org/01/<gtin14>/21/<serial>) or SSCC (https://id.gs1.org/00/<sscc>) URI.`);
  return id;
}

/** GET /epcis/events: EQ_bizStep, MATCH_epc | MATCH_anyEPC (one EPC), GE_eventTime, LT_eventTime, perPage (1–1000, default 100), nextPageToken. */
export function parseEventsQuery(q: RawQuery): EpcisSelection {
  unknownParams(q, EVENTS_PARAMS);
  const step = single(q, 'EQ_bizStep');
  const m = step === null ? null : BIZSTEP.exec(step);
  if (step !== null && !m) throw bad('EQ_bizStep must be one CBV 2.0 bizStep, e.g. shipping or https://ref.gs1.org/cbv/BizStep-shipping.');
  const epc = single(q, 'MATCH_epc');
  const anyEpc = single(q, 'MATCH_anyEPC');
  if (epc !== null && anyEpc !== null) throw bad('Give MATCH_epc or MATCH_anyEPC, not both.');
  const epcValue = epc ?? anyEpc;
  if (epcValue !== null && epcValue.includes(',')) throw bad('MATCH_epc / MATCH_anyEPC take one EPC on this server; query each EPC in turn.');
  const scope: EpcisScope = epcValue === null ? { kind: 'all' } : { kind: 'item', assetId: epcAsset(epcValue, epc !== null ? 'MATCH_epc' : 'MATCH_anyEPC') };
  const perPageRaw = single(q, 'perPage');
  const perPage = perPageRaw === null ? DEFAULT_PER_PAGE : Number(perPageRaw);
  if (!/^\d{1,4}$/.test(perPageRaw ?? '1') || !Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) throw bad(`perPage must be a whole number from 1 to ${MAX_PER_PAGE}.`);
  return withTimes({ scope, bizStep: m ? m[1] : null, from: time(q, 'GE_eventTime'), to: time(q, 'LT_eventTime'), perPage, afterSeq: afterSeqOf(q) }, 'GE_eventTime', 'LT_eventTime');
}

/** GET /epcis/export: exactly one of item (EPC) or batch (`https://id.gs1.org/01/<gtin14>/10/<lot>` or `batch:<gtin14>/<lot>`), and/or from/to; none = everything visible. */
export function parseExportQuery(q: RawQuery): EpcisSelection {
  unknownParams(q, EXPORT_PARAMS);
  const item = single(q, 'item');
  const batch = single(q, 'batch');
  if (item !== null && batch !== null) throw bad('Give item or batch, not both.');
  let scope: EpcisScope = { kind: 'all' };
  if (item !== null) scope = { kind: 'item', assetId: epcAsset(item, 'item') };
  if (batch !== null) {
    const m = /^(?:batch:|https:\/\/id\.gs1\.org\/01\/)(\d{14})(?:\/|\/10\/)([\x21-\x7e]{1,20})$/.exec(batch);
    if (!m) throw bad('batch must be https://id.gs1.org/01/<gtin14>/10/<lot> or batch:<gtin14>/<lot>.');
    let lot = m[2];
    try {
      lot = decodeURIComponent(lot);
    } catch {
      throw bad('batch has a malformed percent-encoded lot.');
    }
    scope = { kind: 'batch', batchId: `batch:${m[1]}/${lot}` };
  }
  return withTimes({ scope, bizStep: null, from: time(q, 'from'), to: time(q, 'to'), perPage: MAX_PER_PAGE, afterSeq: afterSeqOf(q) }, 'from', 'to');
}

function withTimes(sel: EpcisSelection, fromName: string, toName: string): EpcisSelection {
  if (sel.from && sel.to && sel.from >= sel.to) throw bad(`${fromName} must be before ${toName}.`);
  return sel;
}
