// Reads and writes of custody items inside the pipeline's transaction. A pack's custodian and transit
// come from its outermost container, so every check goes through `effective`.
import { EntityManager } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';

export type ItemKind = 'ingredient_lot' | 'pack' | 'case' | 'pallet';
export type ItemState =
  | 'active'
  | 'in_transit'
  | 'consumed'
  | 'dispensed'
  | 'destroyed'
  | 'recalled'
  | 'quarantined'
  | 'expired'
  | 'stolen'
  | 'lost'
  // EU FMD decommissions a pharmacy or wholesaler signs (libs/dispensing); none of them is active.
  | 'supplied'
  | 'sample'
  | 'free_sample'
  | 'locked'
  | 'exported';

export interface EffectiveItem {
  id: string;
  kind: ItemKind;
  parentId: string | null;
  /** The outermost container (the item itself when it is not packed). */
  topId: string;
  state: ItemState;
  /** Custodian and transit of the outermost container. */
  custodianId: string;
  topState: ItemState;
  /** The open shipment the outermost container travels in, if any. */
  inTransitOn: string | null;
  batchId: string | null;
  gtin: string | null;
  expiresOn: string | null;
  manufacturerId: string | null;
}

interface Row {
  id: string;
  kind: ItemKind;
  parent_id: string | null;
  top_id: string;
  state: ItemState;
  custodian_id: string;
  top_state: ItemState;
  top_shipment: string | null;
  batch_id: string | null;
  gtin: string | null;
  expires_on: string | null;
  manufacturer_id: string | null;
}

export async function effectiveItems(m: EntityManager, ids: string[]): Promise<Map<string, EffectiveItem>> {
  if (ids.length === 0) return new Map();
  const rows: Row[] = await m.query(
    `WITH RECURSIVE up AS (
       SELECT i.id AS item_id, i.id, i.parent_id, 0 AS depth FROM custody_items i WHERE i.id = ANY($1::text[])
       UNION ALL
       SELECT up.item_id, p.id, p.parent_id, up.depth + 1 FROM up JOIN custody_items p ON p.id = up.parent_id WHERE up.depth < 8
     ), top AS (
       SELECT DISTINCT ON (item_id) item_id, id AS top_id FROM up ORDER BY item_id, depth DESC
     )
     SELECT i.id, i.kind, i.parent_id, top.top_id, i.state, t.custodian_id, t.state AS top_state, t.shipment_id AS top_shipment, i.batch_id, i.gtin,
            to_char(b.expires_on, 'YYYY-MM-DD') AS expires_on, COALESCE(b.manufacturer_id, pr.manufacturer_id) AS manufacturer_id
       FROM custody_items i
       JOIN top ON top.item_id = i.id
       JOIN custody_items t ON t.id = top.top_id
       LEFT JOIN batches b ON b.id = i.batch_id
       LEFT JOIN products pr ON pr.gtin = i.gtin`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        kind: r.kind,
        parentId: r.parent_id,
        topId: r.top_id,
        state: r.state,
        custodianId: r.custodian_id,
        topState: r.top_state,
        inTransitOn: r.top_shipment,
        batchId: r.batch_id,
        gtin: r.gtin,
        expiresOn: r.expires_on,
        manufacturerId: r.manufacturer_id,
      },
    ]),
  );
}

/** Every id must be a known item; returns them in the given order. */
export async function requireItems(m: EntityManager, ids: string[]): Promise<EffectiveItem[]> {
  if (new Set(ids).size !== ids.length) throw new DomainError('INVALID_EVENT_DATA', 'The same item is listed twice.');
  const found = await effectiveItems(m, ids);
  return ids.map((id) => {
    const item = found.get(id);
    if (!item) throw new DomainError('UNKNOWN_ITEM', `No item ${id} is registered.`, { item: id });
    return item;
  });
}

export function requireCustodian(items: EffectiveItem[], actor: string): void {
  for (const item of items) {
    if (item.custodianId !== actor) {
      throw new DomainError('NOT_CUSTODIAN', `${item.id} is not in your custody; only its custodian may do this.`, { item: item.id });
    }
  }
}

export function requireTopLevel(items: EffectiveItem[]): void {
  for (const item of items) {
    if (item.parentId !== null) {
      throw new DomainError('ITEM_PACKED', `${item.id} is packed in ${item.parentId}; act on the container, or unpack it first.`, { item: item.id, container: item.parentId });
    }
  }
}

/** The item's event-asset list entry must cite its prev: the envelope's assets must include every item. */
export function requireListed(listed: Set<string>, ids: string[]): void {
  const missing = ids.find((id) => !listed.has(id));
  if (missing) throw new DomainError('INVALID_EVENT_DATA', `Item ${missing} must also be listed in the event's assets with its prev.`);
}

/** The item and everything packed in it, at any depth. */
export async function withContents(m: EntityManager, ids: string[]): Promise<string[]> {
  const rows: Array<{ id: string }> = await m.query(
    `WITH RECURSIVE down AS (
       SELECT id FROM custody_items WHERE id = ANY($1::text[])
       UNION ALL
       SELECT c.id FROM custody_items c JOIN down ON c.parent_id = down.id
     ) SELECT id FROM down`,
    [ids],
  );
  return rows.map((r) => r.id);
}

export async function setState(m: EntityManager, ids: string[], state: ItemState, reason: string | null, seq: number): Promise<void> {
  await m.query('UPDATE custody_items SET state = $2, state_reason = $3, updated_seq = $4 WHERE id = ANY($1::text[])', [ids, state, reason, seq]);
}
