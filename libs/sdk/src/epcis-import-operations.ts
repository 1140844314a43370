// A partner system's EPCIS 2.0 document imported as signed PharmaTrace events (issue 11, docs/epcis.md "Import"):
// validated against the EPCIS 2.0 JSON Schema, converted event by event (libs/epcis/src/import), signed here with
// the participant's key, chained on the heads read just before, and submitted in ONE submitEvents call — atomic:
// everything is stored, or nothing. The server never sees the key.
import { eventHash, SignedEvent } from '@pharmatrace/ledger-core';
import { validateEpcisDocument } from '@pharmatrace/epcis/epcis-schema';
import { assetIdOfAnyEpc, collectEpcisReferences, EpcisImportFacts, EpcisImportRefusal, EpcisImportStep, ImportItemFacts, ImportShipmentFacts, planEpcisImport } from '@pharmatrace/epcis/import';
import {
  CommissionedData,
  CustodyEventTypes,
  DisposalData,
  MAX_ITEMS_PER_EVENT,
  MAX_SERIALS_PER_EVENT,
  PackedData,
  ReceivedData,
  RefusedData,
  ShippedData,
  ShippingVoidedData,
  UnpackedData,
} from '@pharmatrace/custody/custody-events';
import { DecommissionedData, DispensingEventTypes, MAX_PACKS_PER_DECOMMISSION } from '@pharmatrace/dispensing/dispensing-events';
import { Receipt } from './api-types';
import { PharmaTraceClient } from './pharmatrace-client';
import { incomingShipments } from './custody-operations';
import { signReadings } from './cold-chain-operations';
import { uuidv7 } from './uuidv7';
import { generateSerials } from '@pharmatrace/gs1';

export type { EpcisImportRefusal, EpcisImportStep } from '@pharmatrace/epcis/import';

/** Largest document read (bytes) and most PharmaTrace events one import submits (the server's batch limit). */
export const MAX_EPCIS_IMPORT_BYTES = 16 * 1024 * 1024;
export const MAX_EPCIS_IMPORT_EVENTS = 1000;
/** Most distinct items (SGTIN/SSCC) one document may name: each is looked up before conversion. */
export const MAX_EPCIS_IMPORT_ITEMS = 10_000;

class TooLarge extends Error {}

export type EpcisImportResult =
  | { ok: true; epcisEvents: number; steps: EpcisImportStep[]; signed: SignedEvent[]; byType: Record<string, number>; receipts: Receipt[] | null }
  | { ok: false; refusals: EpcisImportRefusal[] };

const docRefusal = (code: EpcisImportRefusal['code'], reason: string): EpcisImportResult => ({ ok: false, refusals: [{ index: -1, eventType: 'EPCISDocument', bizStep: '', code, reason }] });

/** Parses the document text (JSON) and imports it; refusals for text that is too large or not JSON. */
export function importEpcisText(client: PharmaTraceClient, text: string, options: { dryRun?: boolean } = {}): Promise<EpcisImportResult> {
  if (Buffer.byteLength(text) > MAX_EPCIS_IMPORT_BYTES) return Promise.resolve(docRefusal('EPCIS_TOO_LARGE', `the document is larger than ${MAX_EPCIS_IMPORT_BYTES} bytes.`));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return Promise.resolve(docRefusal('EPCIS_NOT_JSON', `the document is not JSON: ${(e as Error).message}`));
  }
  return importEpcisDocument(client, doc, options);
}

async function loadFacts(client: PharmaTraceClient, events: Array<Record<string, unknown>>): Promise<{ facts: EpcisImportFacts; shipments: Map<string, string[]> }> {
  const refs = collectEpcisReferences(events);
  if (refs.items.length > MAX_EPCIS_IMPORT_ITEMS) throw new TooLarge(`the document names ${refs.items.length} items; one import names at most ${MAX_EPCIS_IMPORT_ITEMS}. Split it.`);
  const byGln = new Map<string, string>();
  if (refs.glns.length > 0) {
    for (let offset = 0; offset < 20_000; offset += 500) {
      const page = (await client.query<{ participants: Array<{ id: string; gln: string }> }>('query($o: Int!) { participants(first: 500, offset: $o) { id gln } }', { o: offset })).participants;
      for (const p of page) byGln.set(p.gln, p.id);
      if (page.length < 500) break;
    }
  }
  const owners = new Map<string, string | null>();
  for (const b of refs.batches) {
    const head = await client.assetHead(b);
    const ev = head ? (await client.query<{ ledgerEvent: { event: { actor: string } } | null }>('query($h: String!) { ledgerEvent(hash: $h) { event } }', { h: head })).ledgerEvent : null;
    owners.set(b, head ? (ev?.event.actor ?? 'another participant') : null);
  }
  const items = new Map<string, ImportItemFacts | null>();
  // Eight lookups at a time: bounded by MAX_EPCIS_IMPORT_ITEMS, checked before.
  for (let i = 0; i < refs.items.length; i += 8) {
    await Promise.all(
      refs.items.slice(i, i + 8).map(async (id) => {
        items.set(id, (await client.query<{ item: ImportItemFacts | null }>('query($id: String!) { item(id: $id) { custodianId state parentId inTransitOn } }', { id })).item);
      }),
    );
  }
  const open = events.some((e) => String(e.bizStep).endsWith('receiving')) ? await incomingShipments(client) : [];
  // void_shipping names items; the shipment they travel in (their inTransitOn) is looked up for its sender and items.
  const sent = new Map<string, ImportShipmentFacts | null>();
  const voided = events.filter((e) => String(e.bizStep).endsWith('void_shipping')).flatMap((e) => (Array.isArray(e.epcList) ? e.epcList : []));
  const voidedIds = voided.map((epc) => (typeof epc === 'string' ? assetIdOfAnyEpc(epc) : null));
  for (const on of new Set(voidedIds.map((id) => (id ? (items.get(id)?.inTransitOn ?? null) : null)).filter((s): s is string => s !== null))) {
    sent.set(on, (await client.query<{ shipment: ImportShipmentFacts | null }>('query($id: String!) { shipment(id: $id) { fromId toId state items } }', { id: on })).shipment);
  }
  const { role } = await client.me();
  const shipments = new Map(open.map((s) => [s.id, s.items]));
  const key = (ids: string[]): string => [...ids].sort().join('\n');
  const facts: EpcisImportFacts = {
    signerId: client.participantId,
    signerRole: role,
    participantByGln: (gln) => byGln.get(gln) ?? null,
    batchOwner: (b) => owners.get(b) ?? null,
    item: (id) => items.get(id) ?? null,
    openShipmentWith: (ids) => open.find((s) => key(s.items) === key(ids))?.id ?? null,
    shipment: (id) => sent.get(id) ?? null,
  };
  for (const [id, s] of sent) if (s) shipments.set(id, s.items);
  return { facts, shipments };
}

/** Signs the plan's steps in order, each citing the heads the earlier ones leave (one atomic batch). */
async function signSteps(client: PharmaTraceClient, steps: EpcisImportStep[], shipments: Map<string, string[]>): Promise<SignedEvent[]> {
  const ids = new Set<string>();
  for (const s of steps) {
    if (s.kind === 'commission') ids.add(s.batch);
    if (s.kind === 'pack' || s.kind === 'unpack') [s.container, ...s.contents].forEach((i) => ids.add(i));
    if (s.kind === 'ship') s.items.forEach((i) => ids.add(i));
    if (s.kind === 'receive' || s.kind === 'refuse') [s.shipment, ...(shipments.get(s.shipment) ?? [])].forEach((i) => ids.add(i));
    if (s.kind === 'void' && s.shipment) [s.shipment, ...s.items].forEach((i) => ids.add(i));
    if (s.kind === 'destroy') s.items.forEach((i) => ids.add(i));
    if (s.kind === 'decommission') s.packs.forEach((i) => ids.add(i));
  }
  const heads = await client.assetHeads([...ids]);
  const out: SignedEvent[] = [];
  // The shipment id each shipping event of the document got (by event index): a later void_shipping cites it.
  const shippedAs = new Map<number, string>();
  const signOn = (type: string, assetIds: string[], data: Parameters<PharmaTraceClient['sign']>[0]['data'], creates: string[] = []): void => {
    const signed = client.sign({ type, assets: assetIds.map((id) => ({ id, prev: creates.includes(id) ? null : (heads.get(id) ?? null) })), data });
    const hash = eventHash(signed.event);
    for (const id of assetIds) heads.set(id, hash);
    out.push(signed);
  };
  for (const s of steps) {
    if (s.kind === 'commission') {
      if (s.generate) s.serials = generateSerials(s.generate);
      for (let i = 0; i < s.serials.length; i += MAX_SERIALS_PER_EVENT) {
        const data: CommissionedData = { v: 1, batch: s.batch, serials: s.serials.slice(i, i + MAX_SERIALS_PER_EVENT) };
        signOn(CustodyEventTypes.commissioned, [s.batch], data);
        // The commissioning event starts each new pack's chain: later events cite it as the pack's prev.
        for (const serial of data.serials) heads.set(`sgtin:${s.batch.slice(6, 20)}.${serial}`, heads.get(s.batch) ?? '');
      }
    } else if (s.kind === 'pack') {
      const data: PackedData = { v: 1, container: { id: s.container, kind: s.containerKind }, contents: s.contents };
      signOn(CustodyEventTypes.packed, [s.container, ...s.contents], data, s.newContainer ? [s.container] : []);
    } else if (s.kind === 'unpack') {
      const data: UnpackedData = { v: 1, container: s.container, contents: s.contents };
      signOn(CustodyEventTypes.unpacked, [s.container, ...s.contents], data);
    } else if (s.kind === 'ship') {
      const shipment = `shipment:${uuidv7()}`;
      const data: ShippedData = { v: 1, shipment, to: s.to, items: s.items };
      signOn(CustodyEventTypes.shipped, [shipment, ...s.items], data, [shipment]);
      shippedAs.set(s.index, shipment);
    } else if (s.kind === 'receive') {
      const data: ReceivedData = { v: 1, shipment: s.shipment };
      signOn(CustodyEventTypes.received, [s.shipment, ...(shipments.get(s.shipment) ?? s.items)], data);
    } else if (s.kind === 'refuse') {
      const data: RefusedData = { v: 1, shipment: s.shipment, reason: s.reason };
      signOn(CustodyEventTypes.refused, [s.shipment, ...(shipments.get(s.shipment) ?? s.items)], data);
    } else if (s.kind === 'void') {
      const shipment = s.shipment ?? shippedAs.get(s.shippedBy ?? -1);
      if (!shipment) throw new Error(`void_shipping #${s.index} cites shipping event #${String(s.shippedBy)}, which signed no shipment.`);
      const data: ShippingVoidedData = { v: 1, shipment, reason: s.reason };
      signOn(CustodyEventTypes.shippingVoided, [shipment, ...s.items], data);
    } else if (s.kind === 'destroy') {
      for (let i = 0; i < s.items.length; i += MAX_ITEMS_PER_EVENT) {
        const data: DisposalData = { v: 1, items: s.items.slice(i, i + MAX_ITEMS_PER_EVENT), reason: s.reason };
        signOn(CustodyEventTypes.destroyed, data.items, data);
      }
    } else if (s.kind === 'decommission') {
      for (let i = 0; i < s.packs.length; i += MAX_PACKS_PER_DECOMMISSION) {
        const data: DecommissionedData = { v: 1, kind: s.decommission, packs: s.packs.slice(i, i + MAX_PACKS_PER_DECOMMISSION), reason: s.reason };
        signOn(DispensingEventTypes.decommissioned, data.packs, data);
      }
    } else {
      out.push(...signReadings(client, s.subject, s.readings));
    }
  }
  return out;
}

/**
 * Imports a parsed EPCIS 2.0 document as the client's participant: schema check (EPCIS_SCHEMA_INVALID with JSON
 * Pointer paths), conversion with client-side consistency checks (refusals by event index), signing, then one atomic
 * submitEvents call (unless dryRun). A server refusal (e.g. BATCH_REJECTED) is thrown as PharmaTraceApiError.
 */
export async function importEpcisDocument(client: PharmaTraceClient, doc: unknown, options: { dryRun?: boolean } = {}): Promise<EpcisImportResult> {
  const verdict = validateEpcisDocument(doc);
  if (!verdict.ok) return docRefusal('EPCIS_SCHEMA_INVALID', verdict.errors.map((e) => `${e.path || '/'}: ${e.message}`).join('; '));
  const events = (((doc as Record<string, unknown>).epcisBody as Record<string, unknown> | undefined)?.eventList ?? []) as Array<Record<string, unknown>>;
  if (events.length > MAX_EPCIS_IMPORT_EVENTS) return docRefusal('EPCIS_TOO_LARGE', `the document holds ${events.length} events; one atomic import holds at most ${MAX_EPCIS_IMPORT_EVENTS}. Split it.`);
  let loaded: Awaited<ReturnType<typeof loadFacts>>;
  try {
    loaded = await loadFacts(client, events);
  } catch (e) {
    if (e instanceof TooLarge) return docRefusal('EPCIS_TOO_LARGE', e.message);
    throw e;
  }
  const { facts, shipments } = loaded;
  const plan = planEpcisImport(doc as Record<string, unknown>, facts);
  if (!plan.ok) return plan;
  const signed = await signSteps(client, plan.steps, shipments);
  if (signed.length > MAX_EPCIS_IMPORT_EVENTS) return docRefusal('EPCIS_TOO_LARGE', `the document maps to ${signed.length} PharmaTrace events; one atomic import holds at most ${MAX_EPCIS_IMPORT_EVENTS}. Split it.`);
  const byType: Record<string, number> = {};
  for (const s of signed) byType[s.event.type] = (byType[s.event.type] ?? 0) + 1;
  const receipts = options.dryRun ? null : await client.submitMany(signed);
  return { ok: true, epcisEvents: plan.events, steps: plan.steps, signed, byType, receipts };
}
