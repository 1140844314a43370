// Stored ledger events → EPCIS 2.0 events (GS1 EPCIS 2.0 §7, CBV 2.0 bizSteps and dispositions).
// Framework-free: the caller loads the participants' GLNs and the shipments' parties (docs/epcis.md has the table).
import type { EventEnvelope } from '@pharmatrace/ledger-core';
import { epcClassOfBatch, epcOf, locationOfGln, partyOfGln } from './epcis-identifiers';

/** A ledger event as stored: its global sequence number, its hash (hex SHA-256 of the canonical envelope), the envelope. */
export interface StoredLedgerEvent {
  seq: number;
  hash: string;
  event: EventEnvelope;
}

/** What the mapping looks up besides the event: participants' GLNs and shipments' sender and recipient. */
export interface EpcisMappingLookups {
  glnOf(participantId: string): string | null;
  shipment(shipmentId: string): { fromId: string; toId: string; items: string[] } | null;
}

/** One EPCIS 2.0 event as JSON-LD (ObjectEvent or AggregationEvent), before its eventID is set. */
export type EpcisEvent = Record<string, unknown> & { type: 'ObjectEvent' | 'AggregationEvent'; eventTime: string; eventTimeZoneOffset: string };

type Data = Record<string, unknown>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const epcs = (ids: string[]): string[] => ids.map(epcOf).filter((e): e is string => e !== null);
const itemAssets = (e: EventEnvelope): string[] => e.assets.map((a) => a.id).filter((id) => epcOf(id) !== null);

/** The bizSteps each exported ledger type may map to (for EQ_bizStep: which types to read at all). */
export const BIZSTEPS_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  'catalog.batch_registered': ['commissioning'],
  'custody.commissioned': ['commissioning'],
  'custody.packed': ['packing'],
  'custody.unpacked': ['unpacking'],
  'custody.shipped': ['shipping'],
  'custody.received': ['receiving'],
  'custody.refused': ['receiving'],
  'custody.shipping_voided': ['void_shipping'],
  'custody.destroyed': ['destroying'],
  'custody.reported_stolen': [],
  'custody.reported_lost': [],
  'coldchain.readings_recorded': ['sensor_reporting'],
  'coldchain.quarantined': ['holding'],
  'coldchain.released': ['holding'],
  'dispensing.supplied': ['dispensing'],
  'dispensing.decommissioned': ['decommissioning', 'holding'],
  'dispensing.undone': [],
};

/** Ledger types that may map to `bizStep` (a bare CBV 2.0 term). */
export const typesWithBizStep = (bizStep: string): string[] => Object.keys(BIZSTEPS_OF_TYPE).filter((t) => BIZSTEPS_OF_TYPE[t].includes(bizStep));

/** Event types with no EPCIS counterpart (master data, prescriptions, recalls, participants): not exported. */
export function isExportedType(type: string): boolean {
  return type in BUILDERS;
}

interface Built {
  type: EpcisEvent['type'];
  action: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep?: string;
  disposition?: string;
  fields: Record<string, unknown>;
}

const object = (action: Built['action'], ids: string[], bizStep: string | undefined, disposition: string | undefined, extra: Record<string, unknown> = {}): Built => ({
  type: 'ObjectEvent',
  action,
  bizStep,
  disposition,
  fields: { epcList: epcs(ids), ...extra },
});

const BUILDERS: Record<string, (e: EventEnvelope, d: Data, look: EpcisMappingLookups) => Built | null> = {
  'catalog.batch_registered': (_e, d) => {
    const batch = d.batch as { gtin?: string; lot?: string; quantity?: number; expiresOn?: string } | undefined;
    const cls = batch ? epcClassOfBatch(`batch:${batch.gtin}/${batch.lot}`) : null;
    if (!cls || !batch) return null;
    const ilmd = { 'cbvmda:lotNumber': String(batch.lot), ...(typeof batch.expiresOn === 'string' ? { 'cbvmda:itemExpirationDate': batch.expiresOn } : {}) };
    return { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active', fields: { epcList: [], quantityList: [{ epcClass: cls, quantity: Number(batch.quantity ?? 0) }], ilmd } };
  },
  // The lot travels as instance/lot master data (CBV 2.0 §8.3 `cbvmda:lotNumber`): an SGTIN does not carry
  // it, and a partner system (or `cli epcis import`) needs it to put the packs in the right batch.
  'custody.commissioned': (_e, d) => {
    const m = /^batch:(\d{14})\/(.+)$/.exec(String(d.batch));
    return m ? object('ADD', strings(d.serials).map((s) => `sgtin:${m[1]}.${s}`), 'commissioning', 'active', { ilmd: { 'cbvmda:lotNumber': m[2] } }) : null;
  },
  'custody.packed': (_e, d) => {
    const parent = epcOf(String((d.container as { id?: string } | undefined)?.id));
    return parent ? { type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'in_progress', fields: { parentID: parent, childEPCs: epcs(strings(d.contents)) } } : null;
  },
  'custody.unpacked': (_e, d) => {
    const parent = epcOf(String(d.container));
    return parent ? { type: 'AggregationEvent', action: 'DELETE', bizStep: 'unpacking', disposition: 'in_progress', fields: { parentID: parent, childEPCs: epcs(strings(d.contents)) } } : null;
  },
  'custody.shipped': (e, d, look) => object('OBSERVE', strings(d.items), 'shipping', 'in_transit', parties(look, e.actor, String(d.to))),
  'custody.received': (e, d, look) => {
    const s = look.shipment(String(d.shipment));
    return object('OBSERVE', s ? s.items : itemAssets(e), 'receiving', 'active', s ? parties(look, s.fromId, s.toId) : {});
  },
  'custody.refused': (e, d, look) => {
    const s = look.shipment(String(d.shipment));
    return object('OBSERVE', s ? s.items : itemAssets(e), 'receiving', 'returned', { ...(s ? parties(look, s.fromId, s.toId) : {}), 'pt:outcome': 'refused' });
  },
  'custody.shipping_voided': (e, d, look) => {
    const s = look.shipment(String(d.shipment));
    return object('OBSERVE', s ? s.items : itemAssets(e), 'void_shipping', 'active');
  },
  'custody.destroyed': (_e, d) => object('DELETE', strings(d.items), 'destroying', 'destroyed'),
  'custody.reported_stolen': (_e, d) => object('OBSERVE', strings(d.items), undefined, 'stolen'),
  'custody.reported_lost': (_e, d) => object('OBSERVE', strings(d.items), undefined, 'unknown'),
  'coldchain.readings_recorded': (_e, d) => {
    const start = Date.parse(String(d.start));
    const readings = Array.isArray(d.readings) ? (d.readings as Array<[number, number]>) : [];
    const subject = String(d.subject);
    const sensorReport = readings.map(([s, c]) => ({ type: 'Temperature', value: c, uom: 'CEL', time: new Date(start + s * 1000).toISOString() }));
    return object('OBSERVE', epcOf(subject) ? [subject] : [], 'sensor_reporting', undefined, {
      sensorElementList: [{ sensorReport }],
      ...(epcOf(subject) ? {} : { 'pt:subject': subject }),
    });
  },
  'coldchain.quarantined': (_e, d) => object('OBSERVE', strings(d.items), 'holding', 'non_sellable_other'),
  'coldchain.released': (_e, d) => object('OBSERVE', strings(d.items), 'holding', 'active'),
  // Dispensing names the packs only: never the prescription or the patient pseudonym (EU FMD art. 38, GDPR).
  'dispensing.supplied': (_e, d) => object('OBSERVE', strings(d.packs), 'dispensing', 'dispensed'),
  'dispensing.decommissioned': (_e, d) =>
    d.kind === 'locked'
      ? object('OBSERVE', strings(d.packs), 'holding', 'non_sellable_other', { 'pt:decommission': 'locked' })
      : object('OBSERVE', strings(d.packs), 'decommissioning', 'inactive', { 'pt:decommission': String(d.kind) }),
  'dispensing.undone': (_e, d) => object('OBSERVE', strings(d.packs), undefined, 'active', { 'pt:undoes': String(d.undoes) }),
};

function parties(look: EpcisMappingLookups, fromId: string, toId: string): Record<string, unknown> {
  const from = look.glnOf(fromId);
  const to = look.glnOf(toId);
  const out: Record<string, unknown> = {};
  if (from) out.sourceList = [{ type: 'owning_party', source: partyOfGln(from) }, { type: 'possessing_party', source: partyOfGln(from) }];
  if (to) out.destinationList = [{ type: 'owning_party', destination: partyOfGln(to) }, { type: 'possessing_party', destination: partyOfGln(to) }];
  return out;
}

/**
 * The EPCIS 2.0 event for one stored ledger event, or null for a type with no EPCIS counterpart. `eventTime` is
 * the envelope's `at` (UTC, offset `+00:00`); readPoint and bizLocation are the signer's GLN (Digital Link AI 414);
 * `pt:seq` and `pt:hash` keep the ledger's sequence number and event hash. eventID is set by the document builder.
 */
export function toEpcisEvent(stored: StoredLedgerEvent, look: EpcisMappingLookups): EpcisEvent | null {
  const { event } = stored;
  const build = BUILDERS[event.type];
  const built = build ? build(event, (event.data ?? {}) as Data, look) : null;
  if (!built) return null;
  const gln = look.glnOf(event.actor);
  const out: EpcisEvent = {
    type: built.type,
    eventTime: new Date(event.at).toISOString(),
    eventTimeZoneOffset: '+00:00',
    ...built.fields,
    action: built.action,
    ...(built.bizStep ? { bizStep: built.bizStep } : {}),
    ...(built.disposition ? { disposition: built.disposition } : {}),
    ...(gln ? { readPoint: { id: locationOfGln(gln) }, bizLocation: { id: locationOfGln(gln) } } : {}),
    'pt:seq': stored.seq,
    'pt:hash': stored.hash,
    'pt:type': event.type,
  };
  return out;
}
