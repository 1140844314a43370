// What every EPCIS import mapping shares (libs/epcis/src/import): the plan's steps, the refusal codes, the facts
// the caller fetches before planning, and the simulation of the document's earlier events (`Sim`) that the
// client-side consistency checks read. Pure and framework-free; docs/epcis.md "Import" has the table.
import type { ErrorCode } from '@pharmatrace/errors/error-codes';
import type { DecommissionKind } from '@pharmatrace/dispensing/dispensing-events';
import { findControlCharacter } from '@pharmatrace/ledger-core';
import { normaliseGs1Identifier } from '../dl-normaliser';
import { assetIdOfEpc } from '../export/epcis-identifiers';

/** The EU FMD decommissions an EPCIS event may name in `pt:decommission` (the export writes the same values). */
export const IMPORTABLE_DECOMMISSION_KINDS = ['sample', 'free_sample', 'exported', 'locked'] as const satisfies readonly DecommissionKind[];
export type ImportDecommissionKind = (typeof IMPORTABLE_DECOMMISSION_KINDS)[number];

/** One PharmaTrace operation an EPCIS event maps to; `index` is the event's position in `epcisBody.eventList`. */
export type EpcisImportStep =
  /** `serials` given by the document (epcList), or `generate` unpredictable ones (quantityList of the batch class). */
  | { kind: 'commission'; index: number; batch: string; serials: string[]; generate?: number }
  | { kind: 'pack'; index: number; container: string; containerKind: 'case' | 'pallet'; contents: string[]; newContainer: boolean }
  | { kind: 'unpack'; index: number; container: string; contents: string[] }
  | { kind: 'ship'; index: number; to: string; items: string[] }
  | { kind: 'receive'; index: number; shipment: string; items: string[] }
  /** custody.refused: the recipient sends the open shipment back to its sender (receiving + disposition returned). */
  | { kind: 'refuse'; index: number; shipment: string; items: string[]; reason: string }
  /**
   * custody.shipping_voided (CBV void_shipping) by the sender: a ledger shipment (`shipment`), or the one the
   * shipping event at index `shippedBy` of this document creates (`shipment` null; its id is chosen when signing).
   */
  | { kind: 'void'; index: number; shipment: string | null; shippedBy: number | null; items: string[]; reason: string }
  /** custody.destroyed (CBV destroying, disposition destroyed): final; a container takes its contents with it. */
  | { kind: 'destroy'; index: number; items: string[]; reason: string }
  /** dispensing.decommissioned of packs (EU FMD sample, free_sample, exported, locked). */
  | { kind: 'decommission'; index: number; decommission: ImportDecommissionKind; packs: string[]; reason: string }
  | { kind: 'readings'; index: number; subject: string; readings: Array<{ at: string; celsius: number }> };

/** The import's refusal codes: stable codes of the one registry (libs/errors), which the compiler checks (docs/epcis.md "Import"). */
export const EPCIS_IMPORT_REFUSAL_CODES = [
  'EPCIS_NOT_JSON',
  'EPCIS_SCHEMA_INVALID',
  'EPCIS_UNSUPPORTED_EVENT',
  'EPCIS_UNSUPPORTED_EPC',
  'EPCIS_UNKNOWN_PARTY',
  'EPCIS_UNKNOWN_BATCH',
  'EPCIS_NOT_YOURS',
  'EPCIS_FORBIDDEN_ROLE',
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
  /** The item's own state (`active`, `in_transit`, `destroyed`, `sample`, `locked`, …; DESIGN.md "Pack states"). */
  state: string;
  parentId: string | null;
  inTransitOn: string | null;
}

/** A ledger shipment as its sender or recipient sees it (the `shipment` query). `state`: in_transit, received, refused or voided. */
export interface ImportShipmentFacts {
  fromId: string;
  toId: string;
  state: string;
  items: string[];
}

/** What the conversion looks up; all answers are fetched before (see collectEpcisReferences). */
export interface EpcisImportFacts {
  signerId: string;
  /** The signer's participant role (`manufacturer`, `wholesaler`, `pharmacy`, …): decommissions are the pharmacy's or wholesaler's. */
  signerRole: string;
  /** The registered participant with this 13-digit GLN, or null. */
  participantByGln(gln: string): string | null;
  /** Who registered `batch:<gtin14>/<lot>`, or null when the batch is not registered. */
  batchOwner(batchId: string): string | null;
  item(assetId: string): ImportItemFacts | null;
  /** The open shipment to the signer that carries exactly these items (any order), or null. */
  openShipmentWith(items: string[]): string | null;
  /** A shipment an item of the document travels in (its `inTransitOn`), or null when unknown or not visible. */
  shipment(shipmentId: string): ImportShipmentFacts | null;
}

export type Ev = Record<string, unknown>;

/** A refusal of the event being converted; planEpcisImport turns it into an EpcisImportRefusal at the event's index. */
export class Refused extends Error {
  constructor(
    readonly code: EpcisImportRefusalCode,
    reason: string,
  ) {
    super(reason);
  }
}

/** A CBV term (bizStep, disposition, source/destination type, measurement type) without its IRI or URN prefix. */
export const bare = (term: unknown): string =>
  typeof term === 'string' ? term.replace(/^(https:\/\/ref\.gs1\.org\/cbv\/(BizStep|Disp|SDT|MeasurementType)-|urn:epcglobal:cbv:(bizstep|disp|sdt):|gs1:(BizStep|Disp|MeasurementType)-)/, '') : '';
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** An EPC (EPC URI or GS1 Digital Link) → `sgtin:<gtin14>.<serial>` or `sscc:<18>`, or null for anything else. */
export function assetIdOfAnyEpc(epc: string): string | null {
  const direct = assetIdOfEpc(epc);
  if (direct) return direct;
  const dl = normaliseGs1Identifier(epc);
  return dl ? assetIdOfEpc(dl) : null;
}

/** The asset ids of `epcs`; EPCIS_UNSUPPORTED_EPC for any that is not an SGTIN or SSCC. */
export function assets(epcs: unknown[], what: string): string[] {
  return epcs.map((e) => {
    const id = typeof e === 'string' ? assetIdOfAnyEpc(e) : null;
    if (!id) throw new Refused('EPCIS_UNSUPPORTED_EPC', `${what} ${JSON.stringify(e)} is not an SGTIN or SSCC (EPC URI or GS1 Digital Link).`);
    return id;
  });
}

/** Client-side state as the document's earlier events leave it. */
export interface Sim {
  commissioned: Set<string>;
  parentOf: Map<string, string | null>;
  /** Items a shipping event of this document put in transit (and no later void took back). */
  shipped: Set<string>;
  /** Shipments this document creates and has not voided: the shipping event's index → its items. */
  openShipments: Map<number, string[]>;
  /** Ledger shipments an earlier event of this document received, refused or voided. */
  closed: Set<string>;
  /** Ledger items in transit whose shipment an earlier void_shipping took back: in the signer's custody again. */
  landed: Set<string>;
  /** Items an earlier event destroyed or decommissioned → the state it left them in. */
  gone: Map<string, string>;
}

export const newSim = (): Sim => ({ commissioned: new Set(), parentOf: new Map(), shipped: new Set(), openShipments: new Map(), closed: new Set(), landed: new Set(), gone: new Map() });

export const parentNow = (id: string, facts: EpcisImportFacts, sim: Sim): string | null => (sim.parentOf.has(id) ? (sim.parentOf.get(id) ?? null) : (facts.item(id)?.parentId ?? null));
export const exists = (id: string, facts: EpcisImportFacts, sim: Sim): boolean => sim.parentOf.has(id) || sim.commissioned.has(id) || facts.item(id) !== null;

/** The item's state as the document's earlier events leave it (`active` for packs the document commissions). */
export function stateNow(id: string, facts: EpcisImportFacts, sim: Sim): string {
  const gone = sim.gone.get(id);
  if (gone) return gone;
  if (sim.shipped.has(id)) return 'in_transit';
  const item = facts.item(id);
  if (!item || sim.commissioned.has(id)) return 'active';
  return item.state === 'in_transit' && sim.landed.has(id) ? 'active' : item.state;
}

/** The item itself or the container (at any depth) an earlier event of the document destroyed or decommissioned. */
function goneWith(id: string, facts: EpcisImportFacts, sim: Sim): { id: string; state: string } | null {
  let cur: string | null = id;
  for (let depth = 0; cur !== null && depth < 8; depth++) {
    const state = sim.gone.get(cur);
    if (state) return { id: cur, state };
    cur = parentNow(cur, facts, sim);
  }
  return null;
}

/**
 * The item is the signer's to act on: in its custody (or created by an earlier event of the document), not in
 * transit, not destroyed or decommissioned by an earlier event. EPCIS_NOT_YOURS / EPCIS_INCONSISTENT otherwise.
 */
export function requireMine(id: string, facts: EpcisImportFacts, sim: Sim): void {
  const gone = goneWith(id, facts, sim);
  if (gone) throw new Refused('EPCIS_INCONSISTENT', `${gone.id === id ? id : `${id}, inside ${gone.id},`} was made ${gone.state} by an earlier event of this document; nothing more can happen to it.`);
  if (sim.commissioned.has(id) || sim.parentOf.has(id)) {
    if (sim.shipped.has(id)) throw new Refused('EPCIS_INCONSISTENT', `${id} was shipped by an earlier event of this document.`);
    return;
  }
  const item = facts.item(id);
  if (!item) throw new Refused('EPCIS_NOT_YOURS', `${id} is not a registered item you can see.`);
  if (item.custodianId !== facts.signerId) throw new Refused('EPCIS_NOT_YOURS', `${id} is in another participant's custody; only its custodian may sign this event.`);
  if ((item.inTransitOn && !sim.landed.has(id)) || sim.shipped.has(id)) throw new Refused('EPCIS_INCONSISTENT', `${id} is in transit.`);
}

/** Longest reason a ledger event carries (custody.destroyed, refused, shipping_voided, dispensing.decommissioned). */
export const MAX_REASON_LENGTH = 500;

/**
 * The reason the PharmaTrace event records: the event's `pt:reason` (one line of plain text, 1–500 characters),
 * else `EPCIS <bizStep> imported (eventID <id>), eventTime <time>` — EPCIS 2.0 has no free-text reason field.
 */
export function reasonOf(e: Ev, bizStep: string): string {
  const given = e['pt:reason'];
  if (given !== undefined) {
    // The ledger refuses control and bidirectional-formatting characters in a reason (findControlCharacter): refused here first, by index.
    if (typeof given !== 'string' || given.trim().length === 0 || given.length > MAX_REASON_LENGTH || findControlCharacter(given) !== null) {
      throw new Refused('EPCIS_UNSUPPORTED_EVENT', `pt:reason must be one line of plain text of 1–${MAX_REASON_LENGTH} characters (no control or bidirectional-formatting characters); fix it or leave it out.`);
    }
    return given;
  }
  const id = typeof e.eventID === 'string' ? ` (eventID ${e.eventID.slice(0, 200)})` : '';
  let reason = `EPCIS ${bizStep} imported${id}, eventTime ${String(e.eventTime).slice(0, 40)}`;
  for (let c = findControlCharacter(reason); c !== null; c = findControlCharacter(reason)) reason = reason.slice(0, c.index) + reason.slice(c.index + 1);
  return reason;
}
