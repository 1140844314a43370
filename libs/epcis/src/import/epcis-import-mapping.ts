// EPCIS 2.0 events of a partner's document → the PharmaTrace operations they map to (the inverse of
// ../export/epcis-event-mapping.ts), or a refusal per event index. Pure and framework-free: the caller
// fetches what the mapping looks up (EpcisImportFacts) first; docs/epcis.md "Import" has the table.
import { normaliseGs1Identifier } from '../dl-normaliser';
import {
  assetIdOfAnyEpc,
  assets,
  bare,
  EpcisImportFacts,
  EpcisImportRefusal,
  EpcisImportStep,
  Ev,
  exists,
  list,
  newSim,
  parentNow,
  Refused,
  requireMine,
  Sim,
} from './epcis-import-context';
import { decommissioning, destroying, dispensing, refusing, voidShipping } from './epcis-import-closing';

export { assetIdOfAnyEpc, EPCIS_IMPORT_REFUSAL_CODES, IMPORTABLE_DECOMMISSION_KINDS, MAX_REASON_LENGTH } from './epcis-import-context';
export type { EpcisImportFacts, EpcisImportRefusal, EpcisImportRefusalCode, EpcisImportStep, ImportDecommissionKind, ImportItemFacts, ImportShipmentFacts } from './epcis-import-context';
export { DECOMMISSIONING_SIGNER_ROLES } from './epcis-import-closing';

export type EpcisImportPlan = { ok: true; steps: EpcisImportStep[]; events: number } | { ok: false; refusals: EpcisImportRefusal[] };

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
  sim.openShipments.set(index, items);
  return { kind: 'ship', index, to, items };
}

function receiving(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim): EpcisImportStep {
  const items = assets(list(e.epcList), 'EPC');
  if (items.length === 0) throw new Refused('EPCIS_UNSUPPORTED_EVENT', 'receiving needs an epcList of the SGTINs/SSCCs received (quantity-only receiving has no PharmaTrace counterpart).');
  const shipment = facts.openShipmentWith(items);
  if (!shipment) throw new Refused('EPCIS_INCONSISTENT', 'no open shipment to you carries exactly these items.');
  if (sim.closed.has(shipment)) throw new Refused('EPCIS_INCONSISTENT', `${shipment} was already received or refused by an earlier event of this document.`);
  sim.closed.add(shipment);
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

/** Receiving that sends the goods back: disposition `returned`, or the export's `pt:outcome: "refused"`. */
const isRefusal = (e: Ev): boolean => bare(e.disposition) === 'returned' || e['pt:outcome'] === 'refused';

function convert(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim): EpcisImportStep {
  const step = bare(e.bizStep);
  if (e.type === 'ObjectEvent') {
    if (e.action === 'ADD' && step === 'commissioning') return commission(e, index, facts, sim);
    if (list(e.sensorElementList).length > 0 && e.action === 'OBSERVE') return readings(e, index, facts, sim);
    // CBV destroying: the export writes DELETE (the objects cease to exist); OBSERVE is accepted as well.
    if ((e.action === 'DELETE' || e.action === 'OBSERVE') && step === 'destroying') return destroying(e, index, facts, sim);
    if (e.action === 'OBSERVE' && step === 'shipping') return shipping(e, index, facts, sim);
    if (e.action === 'OBSERVE' && step === 'receiving') return isRefusal(e) ? refusing(e, index, facts, sim) : receiving(e, index, facts, sim);
    if (e.action === 'OBSERVE' && step === 'void_shipping') return voidShipping(e, index, facts, sim);
    if (e.action === 'OBSERVE' && (step === 'decommissioning' || step === 'holding')) return decommissioning(e, index, facts, sim, step);
    if (step === 'dispensing') return dispensing();
  }
  if (e.type === 'AggregationEvent' && ((e.action === 'ADD' && step === 'packing') || (e.action === 'DELETE' && step === 'unpacking'))) return aggregation(e, index, facts, sim, step);
  throw new Refused(
    'EPCIS_UNSUPPORTED_EVENT',
    `${String(e.type)} ${String(e.action)} with bizStep ${step || '(none)'} has no PharmaTrace counterpart; supported: ObjectEvent ADD commissioning, OBSERVE shipping/receiving (disposition returned: a refusal)/void_shipping/decommissioning/holding (pt:decommission locked), DELETE or OBSERVE destroying, OBSERVE with Temperature sensor reports, AggregationEvent ADD packing / DELETE unpacking.`,
  );
}

/**
 * Converts a schema-valid EPCIS 2.0 document's events, in order, into PharmaTrace operations. Any refused event
 * refuses the whole document (every refusal listed, by index). Standard: GS1 EPCIS 2.0 §7, CBV 2.0 bizSteps.
 */
export function planEpcisImport(doc: Ev, facts: EpcisImportFacts): EpcisImportPlan {
  const events = list((doc.epcisBody as Ev | undefined)?.eventList) as Ev[];
  const sim = newSim();
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
