// What the cold chain reads of custody: who holds a subject, which shipment an id names, and an item's
// state. Custody owns these tables; the cold chain only reads them (and sets the quarantine state).
import { EntityManager } from 'typeorm';

export interface ShipmentRow {
  id: string;
  fromId: string;
  toId: string;
  /** Closed shipments are received, refused or voided (the last two send the goods back to the sender). */
  state: 'in_transit' | 'received' | 'refused' | 'voided';
  items: string[];
  /** When the server accepted the shipping event, and the receipt, refusal or void (null while in transit). */
  shippedAt: string;
  closedAt: string | null;
}

export type SubjectParties =
  | { kind: 'item'; id: string; custodianId: string }
  | { kind: 'shipment'; shipment: ShipmentRow }
  | { kind: 'unknown' };

const SHIPMENT_PREFIX = 'shipment:';

/** Readings name a shipment by its asset id; the shipments table may key it with or without the prefix. */
export const shipmentSubject = (shipmentId: string): string => (shipmentId.startsWith(SHIPMENT_PREFIX) ? shipmentId : `${SHIPMENT_PREFIX}${shipmentId}`);

export async function findShipment(m: EntityManager, subject: string): Promise<ShipmentRow | null> {
  const bare = subject.slice(SHIPMENT_PREFIX.length);
  const rows: Array<{ id: string; from_id: string; to_id: string; state: ShipmentRow['state']; items: string[]; shipped_at: Date; closed_at: Date | null }> =
    await m.query(
      `SELECT s.id, s.from_id, s.to_id, s.state, s.items, es.received_at AS shipped_at, ec.received_at AS closed_at
         FROM shipments s
         JOIN ledger_events es ON es.seq = s.shipped_seq
         LEFT JOIN ledger_events ec ON ec.seq = s.closed_seq
        WHERE s.id = $1 OR s.id = $2 LIMIT 1`,
      [subject, bare],
    );
  const r = rows[0];
  return r
    ? {
        id: r.id,
        fromId: r.from_id,
        toId: r.to_id,
        state: r.state,
        items: r.items,
        shippedAt: new Date(r.shipped_at).toISOString(),
        closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
      }
    : null;
}

/** The custodian of an item is the custodian of its outermost container. */
export async function custodianOf(m: EntityManager, itemId: string): Promise<string | null> {
  const rows: Array<{ custodian_id: string }> = await m.query(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id, custodian_id, 0 AS depth FROM custody_items WHERE id = $1
       UNION ALL
       SELECT p.id, p.parent_id, p.custodian_id, up.depth + 1 FROM up JOIN custody_items p ON p.id = up.parent_id WHERE up.depth < 8
     ) SELECT custodian_id FROM up ORDER BY depth DESC LIMIT 1`,
    [itemId],
  );
  return rows[0]?.custodian_id ?? null;
}

export async function subjectParties(m: EntityManager, subject: string): Promise<SubjectParties> {
  if (subject.startsWith(SHIPMENT_PREFIX)) {
    const shipment = await findShipment(m, subject);
    return shipment ? { kind: 'shipment', shipment } : { kind: 'unknown' };
  }
  const custodianId = await custodianOf(m, subject);
  return custodianId ? { kind: 'item', id: subject, custodianId } : { kind: 'unknown' };
}

export interface ItemStateRow {
  id: string;
  state: string;
  shipmentId: string | null;
  /** State of the shipment named by shipment_id, if any. */
  shipmentState: string | null;
}

/** Items' own states, locked for the rest of the transaction (a quarantine and a dispense cannot interleave). */
export async function lockItemStates(m: EntityManager, ids: string[]): Promise<Map<string, ItemStateRow>> {
  const rows: Array<{ id: string; state: string; shipment_id: string | null; shipment_state: string | null }> = await m.query(
    `SELECT i.id, i.state, i.shipment_id, s.state AS shipment_state
       FROM custody_items i LEFT JOIN shipments s ON s.id = i.shipment_id
      WHERE i.id = ANY($1::text[]) FOR UPDATE OF i`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, state: r.state, shipmentId: r.shipment_id, shipmentState: r.shipment_state }]));
}

/** Manufacturers of every product in each item (the pack's own, or everything packed in a container). */
export async function manufacturersOf(m: EntityManager, ids: string[]): Promise<Map<string, string[]>> {
  const rows: Array<{ item_id: string; manufacturer_id: string }> = await m.query(
    `WITH RECURSIVE down AS (
       SELECT id AS item_id, id, gtin, 0 AS depth FROM custody_items WHERE id = ANY($1::text[])
       UNION ALL
       SELECT down.item_id, c.id, c.gtin, down.depth + 1 FROM custody_items c JOIN down ON c.parent_id = down.id WHERE down.depth < 8
     ) SELECT DISTINCT d.item_id, p.manufacturer_id FROM down d JOIN products p ON p.gtin = d.gtin`,
    [ids],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.item_id, [...(out.get(r.item_id) ?? []), r.manufacturer_id]);
  return out;
}
