// EPCIS 2.0 events of a partner's document → the PharmaTrace operations they map to (the inverse of
// ../export/epcis-event-mapping.ts), or a refusal per event index. Pure and framework-free: the caller
// fetches what the mapping looks up (EpcisImportFacts) first; docs/epcis.md "Import" has the table.
import type { ErrorCode } from '@pharmatrace/errors/error-codes';
import { normaliseGs1Identifier } from '../dl-normaliser';
import { assetIdOfEpc } from '../export/epcis-identifiers';

/** One PharmaTrace operation an EPCIS event maps to; `index` is the event's position in `epcisBody.eventList`. */
export type EpcisImportStep =
  /** `serials` given by the document (epcList), or `generate` unpredictable ones (quantityList of the batch class). */
  | { kind: 'commission'; index: number; batch: string; serials: string[]; generate?: number }
  | { kind: 'pack'; index: number; container: string; containerKind: 'case' | 'pallet'; contents: string[]; newContainer: boolean }
  | { kind: 'unpack'; index: number; container: string; contents: string[] }
  | { kind: 'ship'; index: number; to: string; items: string[] }
  | { kind: 'receive'; index: number; shipment: string; items: string[] }
  | { kind: 'readings'; index: number; subject: string; readings: Array<{ at: string; celsius: number }> };

/** Stable codes of an import refusal (docs/epcis.md "Import"). */
/** The import's refusal codes: stable codes of the one registry (libs/errors), which the compiler checks. */
export const EPCIS_IMPORT_REFUSAL_CODES = [
  'EPCIS_NOT_JSON',
  'EPCIS_SCHEMA_INVALID',
  'EPCIS_UNSUPPORTED_EVENT',
  'EPCIS_UNSUPPORTED_EPC',
  'EPCIS_UNKNOWN_PARTY',
  'EPCIS_UNKNOWN_BATCH',
  'EPCIS_NOT_YOURS',
  'EPCIS_INCONSISTENT',
  'EPCIS_TOO_LARGE',
] as const satisfies readonly ErrorCode[];
export type EpcisImportRefusalCode = (typeof EPCIS_IMPORT_REFUSAL_CODES)[number];

/** Why event `index` (−1: the document) cannot be imported; `eventType` and `bizStep` as the document names them. */
export interface EpcisImportRefusal {
  index: number;
  eventType: string;
  bizStep: string;
  code: EpcisImportRefusalCode;
  reason: string;
}

/** An item as the signer's client sees it (the `item` query); null when unknown or not visible. */
export interface ImportItemFacts {
  custodianId: string;
  state: string;
  parentId: string | null;
  inTransitOn: string | null;
}

/** What the conversion looks up; all answers are fetched before (see collectEpcisReferences). */
export interface EpcisImportFacts {
  signerId: string;
  /** The registered participant with this 13-digit GLN, or null. */
  participantByGln(gln: string): string | null;
  /** Who registered `batch:<gtin14>/<lot>`, or null when the batch is not registered. */
  batchOwner(batchId: string): string | null;
  item(assetId: string): ImportItemFacts | null;
  /** The open shipment to the signer that carries exactly these items (any order), or null. */
  openShipmentWith(items: string[]): string | null;
}

export type EpcisImportPlan = { ok: true; steps: EpcisImportStep[]; events: number } | { ok: false; refusals: EpcisImportRefusal[] };

type Ev = Record<string, unknown>;
class Refused extends Error {
  constructor(
    readonly code: EpcisImportRefusalCode,
    reason: string,
  ) {
    super(reason);
  }
}

const bare = (term: unknown): string => (typeof term === 'string' ? term.replace(/^(https:\/\/ref\.gs1\.org\/cbv\/(BizStep|Disp|SDT|MeasurementType)-|urn:epcglobal:cbv:(bizstep|disp|sdt):|gs1:(BizStep|Disp|MeasurementType)-)/, '') : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** An EPC (EPC URI or GS1 Digital Link) → `sgtin:<gtin14>.<serial>` or `sscc:<18>`, or null for anything else. */
export function assetIdOfAnyEpc(epc: string): string | null {
  const direct = assetIdOfEpc(epc);
  if (direct) return direct;
  const dl = normaliseGs1Identifier(epc);
  return dl ? assetIdOfEpc(dl) : null;
}

/** A party or location (EPC URI `sgln`/`pgln` or Digital Link AI 414/417) → its 13-digit GLN, or null. */
export function glnOf(value: string): string | null {
  const m = /^https:\/\/id\.gs1\.org\/(?:414|417)\/(\d{13})(?:\/254\/[^/]+)?$/.exec(normaliseGs1Identifier(value) ?? value);
  return m ? m[1] : null;
}

/** The GTIN-14 and lot of an EPC class (`urn:epc:class:lgtin:…` or Digital Link `/01/<gtin>/10/<lot>`), or null. */
function batchOfClass(epcClass: string): string | null {
  const m = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/10\/([^/?#]+)$/.exec(normaliseGs1Identifier(epcClass) ?? epcClass);
  return m ? `batch:${m[1]}/${decodeURIComponent(m[2])}` : null;
}

function assets(epcs: unknown[], what: string): string[] {
  return epcs.map((e) => {
    const id = typeof e === 'string' ? assetIdOfAnyEpc(e) : null;
    if (!id) throw new Refused('EPCIS_UNSUPPORTED_EPC', `${what} ${JSON.stringify(e)} is not an SGTIN or SSCC (EPC URI or GS1 Digital Link).`);
    return id;
  });
}

/** Every GLN, batch and item the document names: what the caller fetches before calling planEpcisImport. */
export function collectEpcisReferences(events: Ev[]): { glns: string[]; batches: string[]; items: string[] } {
  const glns = new Set<string>();
  const batches = new Set<string>();
  const items = new Set<string>();
  for (const e of events) {
    for (const epc of [...list(e.epcList), ...list(e.childEPCs), e.parentID]) {
      const id = typeof epc === 'string' ? assetIdOfAnyEpc(epc) : null;
      if (id) items.add(id);
      const m = id ? /^sgtin:(\d{14})\./.exec(id) : null;
      const lot = lotOf(e);
      if (m && lot) batches.add(`batch:${m[1]}/${lot}`);
    }
    for (const q of list(e.quantityList)) {
      const b = batchOfClass(String((q as Ev).epcClass));
      if (b) batches.add(b);
    }
    for (const d of list(e.destinationList)) {
      const g = glnOf(String((d as Ev).destination));
      if (g) glns.add(g);
    }
  }
  return { glns: [...glns], batches: [...batches], items: [...items] };
}

function lotOf(e: Ev): string | null {
  const ilmd = (e.ilmd ?? {}) as Ev;
  const lot = ilmd['cbvmda:lotNumber'] ?? ilmd.lotNumber;
  return typeof lot === 'string' && lot.length > 0 ? lot : null;
}

/** Client-side state as the document's earlier events leave it. */
interface Sim {
  commissioned: Set<string>;
  parentOf: Map<string, string | null>;
  shipped: Set<string>;
}

function requireMine(id: string, facts: EpcisImportFacts, sim: Sim): void {
  if (sim.commissioned.has(id) || sim.parentOf.has(id)) {
    if (sim.shipped.has(id)) throw new Refused('EPCIS_INCONSISTENT', `${id} was shipped by an earlier event of this document.`);
    return;
  }
  const item = facts.item(id);
  if (!item) throw new Refused('EPCIS_NOT_YOURS', `${id} is not a registered item you can see.`);
  if (item.custodianId !== facts.signerId) throw new Refused('EPCIS_NOT_YOURS', `${id} is in another participant's custody; only its custodian may sign this event.`);
  if (item.inTransitOn || sim.shipped.has(id)) throw new Refused('EPCIS_INCONSISTENT', `${id} is in transit.`);
}

const parentNow = (id: string, facts: EpcisImportFacts, sim: Sim): string | null => (sim.parentOf.has(id) ? (sim.parentOf.get(id) ?? null) : (facts.item(id)?.parentId ?? null));
const exists = (id: string, facts: EpcisImportFacts, sim: Sim): boolean => sim.parentOf.has(id) || sim.commissioned.has(id) || facts.item(id) !== null;

/** Most packs one quantityList commissioning may generate (ten commissioning events of 1,000 serials). */
export const MAX_GENERATED_PACKS = 10_000;

function batchFacts(batch: string, facts: EpcisImportFacts): void {
  const owner = facts.batchOwner(batch);
  if (!owner) throw new Refused('EPCIS_UNKNOWN_BATCH', `${batch} is not registered; register the batch first.`);
  if (owner !== facts.signerId) throw new Refused('EPCIS_NOT_YOURS', `${batch} is another manufacturer's batch.`);
}

function commissionByQuantity(e: Ev, index: number, facts: EpcisImportFacts): EpcisImportStep {
  const q = list(e.quantityList) as Ev[];
  if (q.length !== 1) throw new Refused('EPCIS_UNSUPPORTED_EVENT', 'commissioning by quantity needs exactly one quantityList entry (the batch class).');
  const batch = batchOfClass(String(q[0].epcClass));
  if (!batch) throw new Refused('EPCIS_UNSUPPORTED_EPC', `epcClass ${JSON.stringify(q[0].epcClass)} is not a batch class (GTIN + lot, urn:epc:class:lgtin or Digital Link /01/…/10/…).`);
  const n = q[0].quantity;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_GENERATED_PACKS || (q[0].uom !== undefined && q[0].uom !== 'EA')) {
    throw new Refused('EPCIS_UNSUPPORTED_EVENT', `commissioning by quantity needs a whole number of packs from 1 to ${MAX_GENERATED_PACKS} (no uom or EA).`);
  }
  batchFacts(batch, facts);
  return { kind: 'commission', index, batch, serials: [], generate: n };
}

function commission(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim): EpcisImportStep {
  if (list(e.epcList).length === 0 && list(e.quantityList).length > 0) return commissionByQuantity(e, index, facts);
  const packs = assets(list(e.epcList), 'EPC');
  const gtins = new Set(packs.map((p) => /^sgtin:(\d{14})\./.exec(p)?.[1]));
  if (packs.length === 0 || gtins.has(undefined)) throw new Refused('EPCIS_UNSUPPORTED_EVENT', 'commissioning maps to commissionPacks: epcList must hold SGTINs, or quantityList one batch class.');
  if (gtins.size !== 1) throw new Refused('EPCIS_INCONSISTENT', 'commissioning one event must name packs of one GTIN (one batch).');
  const lot = lotOf(e);
  if (!lot) throw new Refused('EPCIS_UNKNOWN_BATCH', 'commissioning needs the lot in ilmd cbvmda:lotNumber to name the registered batch.');
  const batch = `batch:${[...gtins][0]}/${lot}`;
  batchFacts(batch, facts);
  for (const p of packs) if (exists(p, facts, sim)) throw new Refused('EPCIS_INCONSISTENT', `${p} is already commissioned.`);
  for (const p of packs) {
    sim.commissioned.add(p);
    sim.parentOf.set(p, null);
  }
  return { kind: 'commission', index, batch, serials: packs.map((p) => p.slice(p.indexOf('.') + 1)) };
}

function aggregation(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim, step: string): EpcisImportStep {
  const parent = typeof e.parentID === 'string' ? assetIdOfAnyEpc(e.parentID) : null;
  if (!parent?.startsWith('sscc:')) throw new Refused('EPCIS_UNSUPPORTED_EPC', `parentID ${JSON.stringify(e.parentID)} is not an SSCC.`);
  const children = assets(list(e.childEPCs), 'childEPC');
  if (children.length === 0) throw new Refused('EPCIS_UNSUPPORTED_EVENT', `${step} needs childEPCs (quantity-only aggregation is not supported).`);
  for (const c of children) requireMine(c, facts, sim);
  if (e.action === 'ADD') {
    const newContainer = !exists(parent, facts, sim);
    if (!newContainer) requireMine(parent, facts, sim);
    for (const c of children) {
      if (parentNow(c, facts, sim)) throw new Refused('EPCIS_INCONSISTENT', `${c} is already packed in ${parentNow(c, facts, sim)}; unpack it first.`);
      sim.parentOf.set(c, parent);
    }
    if (newContainer) sim.parentOf.set(parent, null);
    return { kind: 'pack', index, container: parent, containerKind: children.some((c) => c.startsWith('sscc:')) ? 'pallet' : 'case', contents: children, newContainer };
  }
  requireMine(parent, facts, sim);
  for (const c of children) {
    if (parentNow(c, facts, sim) !== parent) throw new Refused('EPCIS_INCONSISTENT', `${c} is not packed in ${parent}.`);
    sim.parentOf.set(c, null);
  }
  return { kind: 'unpack', index, container: parent, contents: children };
}

function destinationParty(e: Ev, facts: EpcisImportFacts): string {
  const dests = list(e.destinationList) as Ev[];
  const pick = dests.find((d) => bare(d.type) === 'owning_party') ?? dests.find((d) => bare(d.type) === 'possessing_party');
  if (!pick) throw new Refused('EPCIS_UNKNOWN_PARTY', 'shipping needs a destinationList owning_party or possessing_party (a GLN).');
  const gln = glnOf(String(pick.destination));
  if (!gln) throw new Refused('EPCIS_UNKNOWN_PARTY', `destination ${JSON.stringify(pick.destination)} is not a GLN (pgln/sgln or Digital Link 417/414).`);
  const to = facts.participantByGln(gln);
  if (!to) throw new Refused('EPCIS_UNKNOWN_PARTY', `GLN ${gln} is not a registered participant here.`);
  if (to === facts.signerId) throw new Refused('EPCIS_INCONSISTENT', 'the destination is the signer itself.');
  return to;
}

function shipping(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim): EpcisImportStep {
  const to = destinationParty(e, facts);
  const items = assets(list(e.epcList), 'EPC');
  if (items.length === 0) throw new Refused('EPCIS_UNSUPPORTED_EVENT', 'shipping needs an epcList of SGTINs/SSCCs.');
  for (const i of items) {
    requireMine(i, facts, sim);
    if (parentNow(i, facts, sim)) throw new Refused('EPCIS_INCONSISTENT', `${i} is packed in ${parentNow(i, facts, sim)}; ship the outermost container.`);
  }
  for (const i of items) sim.shipped.add(i);
  return { kind: 'ship', index, to, items };
}

function receiving(e: Ev, index: number, facts: EpcisImportFacts): EpcisImportStep {
  const items = assets(list(e.epcList), 'EPC');
  if (items.length === 0) throw new Refused('EPCIS_UNSUPPORTED_EVENT', 'receiving needs an epcList of the SGTINs/SSCCs received (quantity-only receiving has no PharmaTrace counterpart).');
  const shipment = facts.openShipmentWith(items);
  if (!shipment) throw new Refused('EPCIS_INCONSISTENT', 'no open shipment to you carries exactly these items.');
  return { kind: 'receive', index, shipment, items };
}

function celsius(value: number, uom: unknown): number | null {
  if (uom === 'CEL') return value;
  if (uom === 'FAH') return Math.round(((value - 32) * 5 * 1000) / 9) / 1000;
  if (uom === 'KEL') return Math.round((value - 273.15) * 1000) / 1000;
  return null;
}

function readings(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim): EpcisImportStep {
  const subjects = assets(list(e.epcList), 'EPC');
  if (subjects.length !== 1) throw new Refused('EPCIS_UNSUPPORTED_EVENT', 'sensor readings map to recordReadings of one subject: epcList must hold exactly one SGTIN or SSCC.');
  requireMine(subjects[0], facts, sim);
  const out: Array<{ at: string; celsius: number }> = [];
  for (const el of list(e.sensorElementList) as Ev[]) {
    const meta = (el.sensorMetadata ?? {}) as Ev;
    for (const r of list(el.sensorReport) as Ev[]) {
      if (bare(r.type) !== 'Temperature') throw new Refused('EPCIS_UNSUPPORTED_EVENT', `sensor report type ${JSON.stringify(r.type)} is not Temperature.`);
      const value = typeof r.value === 'number' ? r.value : null;
      const c = value === null ? null : celsius(value, r.uom);
      if (c === null) throw new Refused('EPCIS_UNSUPPORTED_EVENT', `a Temperature report needs a value in CEL, FAH or KEL (got value ${JSON.stringify(r.value)}, uom ${JSON.stringify(r.uom)}).`);
      const at = typeof r.time === 'string' ? r.time : typeof meta.time === 'string' ? meta.time : typeof e.eventTime === 'string' ? e.eventTime : '';
      out.push({ at: new Date(at).toISOString(), celsius: c });
    }
  }
  if (out.length === 0) throw new Refused('EPCIS_UNSUPPORTED_EVENT', 'the sensorElementList holds no readings.');
  return { kind: 'readings', index, subject: subjects[0], readings: out };
}

function convert(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim): EpcisImportStep {
  const step = bare(e.bizStep);
  if (e.type === 'ObjectEvent') {
    if (e.action === 'ADD' && step === 'commissioning') return commission(e, index, facts, sim);
    if (list(e.sensorElementList).length > 0 && e.action === 'OBSERVE') return readings(e, index, facts, sim);
    if (e.action === 'OBSERVE' && step === 'shipping') return shipping(e, index, facts, sim);
    if (e.action === 'OBSERVE' && step === 'receiving') return receiving(e, index, facts);
  }
  if (e.type === 'AggregationEvent' && ((e.action === 'ADD' && step === 'packing') || (e.action === 'DELETE' && step === 'unpacking'))) return aggregation(e, index, facts, sim, step);
  throw new Refused('EPCIS_UNSUPPORTED_EVENT', `${String(e.type)} ${String(e.action)} with bizStep ${step || '(none)'} has no PharmaTrace counterpart; supported: ObjectEvent ADD commissioning, OBSERVE shipping/receiving, OBSERVE with Temperature sensor reports, AggregationEvent ADD packing / DELETE unpacking.`);
}

/**
 * Converts a schema-valid EPCIS 2.0 document's events, in order, into PharmaTrace operations. Any refused event
 * refuses the whole document (every refusal listed, by index). Standard: GS1 EPCIS 2.0 §7, CBV 2.0 bizSteps.
 */
export function planEpcisImport(doc: Ev, facts: EpcisImportFacts): EpcisImportPlan {
  const events = list((doc.epcisBody as Ev | undefined)?.eventList) as Ev[];
  const sim: Sim = { commissioned: new Set(), parentOf: new Map(), shipped: new Set() };
  const steps: EpcisImportStep[] = [];
  const refusals: EpcisImportRefusal[] = [];
  if (events.length === 0) refusals.push({ index: -1, eventType: 'EPCISDocument', bizStep: '', code: 'EPCIS_UNSUPPORTED_EVENT', reason: 'the document has no epcisBody.eventList events.' });
  events.forEach((e, index) => {
    try {
      steps.push(convert(e, index, facts, sim));
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      refusals.push({ index, eventType: String(e.type), bizStep: bare(e.bizStep), code: err.code, reason: err.message });
    }
  });
  return refusals.length > 0 ? { ok: false, refusals } : { ok: true, steps, events: events.length };
}
