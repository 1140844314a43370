// Catalog and custody as a participant's systems drive them: each builds the event, reads the prevs it
// must cite, signs with the key file and calls the role's mutation.
import type { ShipmentView } from '@pharmatrace/custody/custody-queries.service';
import { EventData, eventHash, SignedEvent } from '@pharmatrace/ledger-core';
import { generateSerials } from '@pharmatrace/gs1';
import {
  batchAssetId,
  BatchRegisteredData,
  CatalogEventTypes,
  CommissionedData,
  CustodyEventTypes,
  DisposalData,
  IngredientLotRegisteredData,
  ingredientLotAssetId,
  MAX_SERIALS_PER_EVENT,
  PackedData,
  productAssetId,
  ProductRegisteredData,
  ReceivedData,
  RefusedData,
  ShippedData,
  ShippingVoidedData,
  shipmentAssetId,
  UnpackedData,
} from '@pharmatrace/custody/custody-events';
import { Receipt, RECEIPT_FIELDS } from './api-types';
import { PharmaTraceClient } from './pharmatrace-client';
import { uuidv7 } from './uuidv7';

async function call(client: PharmaTraceClient, mutation: string, signed: SignedEvent): Promise<Receipt> {
  const r = await client.query<Record<string, Receipt>>(`mutation($i: SignedEventInput!) { ${mutation}(input: $i) { ${RECEIPT_FIELDS} } }`, { i: signed });
  return r[mutation];
}

async function callMany(client: PharmaTraceClient, mutation: string, signed: SignedEvent[]): Promise<Receipt[]> {
  const r = await client.query<Record<string, Receipt[]>>(`mutation($i: [SignedEventInput!]!) { ${mutation}(input: $i) { ${RECEIPT_FIELDS} } }`, { i: signed });
  return r[mutation];
}

export type ProductSpec = ProductRegisteredData['product'];

export async function registerProduct(client: PharmaTraceClient, product: ProductSpec): Promise<Receipt> {
  const data: ProductRegisteredData = { v: 1, product };
  return call(client, 'registerProduct', client.sign({ type: CatalogEventTypes.productRegistered, assets: [{ id: productAssetId(product.gtin), prev: null }], data }));
}

export async function registerIngredientLot(client: PharmaTraceClient, lot: IngredientLotRegisteredData['lot']): Promise<{ receipt: Receipt; id: string }> {
  const id = ingredientLotAssetId(client.participantId, lot.number);
  const data: IngredientLotRegisteredData = { v: 1, lot };
  const receipt = await call(client, 'registerIngredientLot', client.sign({ type: CatalogEventTypes.ingredientLotRegistered, assets: [{ id, prev: null }], data }));
  return { receipt, id };
}

export async function registerBatch(client: PharmaTraceClient, batch: BatchRegisteredData['batch'], ingredientLots: string[] = []): Promise<{ receipt: Receipt; id: string }> {
  const id = batchAssetId(batch.gtin, batch.lot);
  const data: BatchRegisteredData = { v: 1, batch, ingredientLots };
  const signed = await client.signWithHeads(CatalogEventTypes.batchRegistered, [id, productAssetId(batch.gtin), ...ingredientLots], data, { creates: [id] });
  return { receipt: await call(client, 'registerBatch', signed), id };
}

/**
 * Commissions packs of a batch in one atomic call: the given serials, or `count` unpredictable ones
 * generated here. Split into events of at most 1,000 serials, chained on the batch.
 */
export async function commissionPacks(client: PharmaTraceClient, batchId: string, serialsOrCount: string[] | number): Promise<{ receipts: Receipt[]; serials: string[] }> {
  const serials = typeof serialsOrCount === 'number' ? generateSerials(serialsOrCount) : serialsOrCount;
  let prev = await client.assetHead(batchId);
  const events: SignedEvent[] = [];
  for (let i = 0; i < serials.length; i += MAX_SERIALS_PER_EVENT) {
    const data: CommissionedData = { v: 1, batch: batchId, serials: serials.slice(i, i + MAX_SERIALS_PER_EVENT) };
    const signed = client.sign({ type: CustodyEventTypes.commissioned, assets: [{ id: batchId, prev }], data });
    prev = eventHash(signed.event);
    events.push(signed);
  }
  return { receipts: await callMany(client, 'commissionPacks', events), serials };
}

export async function pack(client: PharmaTraceClient, container: PackedData['container'], contents: string[], options: { newContainer: boolean }): Promise<Receipt> {
  const data: PackedData = { v: 1, container, contents };
  const signed = await client.signWithHeads(CustodyEventTypes.packed, [container.id, ...contents], data, { creates: options.newContainer ? [container.id] : [] });
  return (await callMany(client, 'pack', [signed]))[0];
}

export async function unpack(client: PharmaTraceClient, container: string, contents: string[]): Promise<Receipt> {
  const data: UnpackedData = { v: 1, container, contents };
  return (await callMany(client, 'pack', [await client.signWithHeads(CustodyEventTypes.unpacked, [container, ...contents], data)]))[0];
}

export async function ship(client: PharmaTraceClient, to: string, items: string[], shipmentId = `shipment:${uuidv7()}`): Promise<{ receipt: Receipt; shipment: string }> {
  const shipment = shipmentId.startsWith('shipment:') ? shipmentId : shipmentAssetId(shipmentId);
  const data: ShippedData = { v: 1, shipment, to, items };
  const signed = await client.signWithHeads(CustodyEventTypes.shipped, [shipment, ...items], data, { creates: [shipment] });
  return { receipt: await call(client, 'ship', signed), shipment };
}

async function closeShipment<D extends EventData>(client: PharmaTraceClient, mutation: 'receive' | 'refuse' | 'voidShipment', type: string, shipment: string, data: D): Promise<Receipt> {
  const r = await client.query<{ shipment: { items: string[] } | null }>('query($id: String!) { shipment(id: $id) { items } }', { id: shipment });
  const items = r.shipment?.items ?? [];
  return call(client, mutation, await client.signWithHeads(type, [shipment, ...items], data));
}

export function receive(client: PharmaTraceClient, shipment: string): Promise<Receipt> {
  const data: ReceivedData = { v: 1, shipment };
  return closeShipment(client, 'receive', CustodyEventTypes.received, shipment, data);
}

export function refuse(client: PharmaTraceClient, shipment: string, reason: string): Promise<Receipt> {
  const data: RefusedData = { v: 1, shipment, reason };
  return closeShipment(client, 'refuse', CustodyEventTypes.refused, shipment, data);
}

/** The sender cancels a shipment still in transit (CBV void_shipping): its items are back in the sender's custody. */
export function voidShipment(client: PharmaTraceClient, shipment: string, reason: string): Promise<Receipt> {
  const data: ShippingVoidedData = { v: 1, shipment, reason };
  return closeShipment(client, 'voidShipment', CustodyEventTypes.shippingVoided, shipment, data);
}

export type DisposalKind = 'destroyed' | 'stolen' | 'lost';
const DISPOSAL_TYPES: Record<DisposalKind, string> = {
  destroyed: CustodyEventTypes.destroyed,
  stolen: CustodyEventTypes.reportedStolen,
  lost: CustodyEventTypes.reportedLost,
};

export async function reportDisposal(client: PharmaTraceClient, kind: DisposalKind, items: string[], reason: string): Promise<Receipt> {
  const data: DisposalData = { v: 1, items, reason };
  return call(client, 'reportDisposal', await client.signWithHeads(DISPOSAL_TYPES[kind], items, data));
}

export interface ItemView {
  id: string;
  kind: string;
  state: string;
  custodianId: string;
  parentId: string | null;
  topId: string;
  inTransitOn: string | null;
  batchId: string | null;
}

export async function item(client: PharmaTraceClient, id: string): Promise<ItemView | null> {
  return (await client.query<{ item: ItemView | null }>('query($id: String!) { item(id: $id) { id kind state custodianId parentId topId inTransitOn batchId } }', { id })).item;
}

/** A shipment as its sender, its recipient and regulators see it (the server's own shape). `state`: in_transit, received, refused or voided. */
export type { ShipmentView };

const SHIPMENT_FIELDS = 'id fromId toId state items shippedSeq closedSeq';

/** A shipment the caller sent, receives, or (regulators) any; null otherwise, as for an unknown id. */
export async function shipment(client: PharmaTraceClient, id: string): Promise<ShipmentView | null> {
  return (await client.query<{ shipment: ShipmentView | null }>(`query($id: String!) { shipment(id: $id) { ${SHIPMENT_FIELDS} } }`, { id })).shipment;
}

/** Shipments addressed to the caller that wait to be received or refused. */
export async function incomingShipments(client: PharmaTraceClient): Promise<ShipmentView[]> {
  return (await client.query<{ incomingShipments: ShipmentView[] }>(`query { incomingShipments { ${SHIPMENT_FIELDS} } }`)).incomingShipments;
}

export interface HistoryEntryView {
  seq: number;
  hash: string;
  /** When the event happened, as its signer stated it (ISO 8601 UTC). */
  at: string;
  type: string;
  actor: string;
  via: string;
  signature: string;
  blockHeight: number | null;
}

export async function itemHistory(client: PharmaTraceClient, id: string): Promise<HistoryEntryView[]> {
  return (await client.query<{ itemHistory: HistoryEntryView[] }>('query($id: String!) { itemHistory(id: $id) { seq hash at type actor via signature blockHeight } }', { id }))
    .itemHistory;
}
