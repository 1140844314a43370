// Which readings belong to an item's custody window: its own, those of every container while it sat in
// it, and those of every shipment it (or such a container) travelled in. Readings are attached to what
// the logger sat with, so an item's temperature history is the union of these, in time order.
import { EntityManager } from 'typeorm';
import { shipmentSubject } from '../custody-parties';

/** Readings of `subject` taken in [since, until); null bounds are open. */
export interface ReadingSource {
  subject: string;
  since: string | null;
  until: string | null;
}

interface HolderRow {
  item_id: string;
  holder: string;
  since: Date | null;
  until: Date | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** Merges two windows of the same subject into one that covers both (open bounds win). */
function widen(a: ReadingSource, b: ReadingSource): ReadingSource {
  const since = a.since === null || b.since === null ? null : a.since < b.since ? a.since : b.since;
  const until = a.until === null || b.until === null ? null : a.until > b.until ? a.until : b.until;
  return { subject: a.subject, since, until };
}

/**
 * For each item: itself (no bound), its current containers from when it was packed (the containment log;
 * unbounded when the log has no row), its past containers while it was in them, and the shipments any of
 * those travelled in, within the same bounds. Times of seqs are the server's acceptance times.
 */
export async function windowSources(m: EntityManager, itemIds: string[]): Promise<Map<string, ReadingSource[]>> {
  const holders: HolderRow[] = await m.query(
    `WITH RECURSIVE up AS (
       SELECT i.id AS item_id, i.id, i.parent_id, 0 AS depth, NULL::timestamptz AS since
         FROM custody_items i WHERE i.id = ANY($1::text[])
       UNION ALL
       SELECT up.item_id, p.id, p.parent_id, up.depth + 1, GREATEST(up.since, e.received_at)
         FROM up
         JOIN custody_items p ON p.id = up.parent_id
         LEFT JOIN containment_log c ON c.child_id = up.id AND c.parent_id = p.id AND c.to_seq IS NULL
         LEFT JOIN ledger_events e ON e.seq = c.from_seq
        WHERE up.depth < 8
     )
     SELECT item_id, id AS holder, since, NULL::timestamptz AS until FROM up
     UNION ALL
     SELECT c.child_id, c.parent_id, ef.received_at, et.received_at
       FROM containment_log c
       JOIN ledger_events ef ON ef.seq = c.from_seq
       JOIN ledger_events et ON et.seq = c.to_seq
      WHERE c.child_id = ANY($1::text[]) AND c.to_seq IS NOT NULL`,
    [itemIds],
  );
  const shipments: Array<{ item_id: string; shipment_id: string; since: Date | null; until: Date | null }> = holders.length
    ? await m.query(
        `SELECT h.item_id, s.id AS shipment_id, h.since, h.until
           FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS h(item_id, holder, since, until)
           JOIN shipments s ON s.items @> ARRAY[h.holder]`,
        [holders.map((h) => h.item_id), holders.map((h) => h.holder), holders.map((h) => iso(h.since)), holders.map((h) => iso(h.until))],
      )
    : [];

  const out = new Map<string, Map<string, ReadingSource>>();
  const add = (itemId: string, source: ReadingSource) => {
    const bySubject = out.get(itemId) ?? new Map<string, ReadingSource>();
    const known = bySubject.get(source.subject);
    bySubject.set(source.subject, known ? widen(known, source) : source);
    out.set(itemId, bySubject);
  };
  for (const h of holders) add(h.item_id, { subject: h.holder, since: iso(h.since), until: iso(h.until) });
  for (const s of shipments) add(s.item_id, { subject: shipmentSubject(s.shipment_id), since: iso(s.since), until: iso(s.until) });
  return new Map([...out].map(([item, bySubject]) => [item, [...bySubject.values()].sort((a, b) => a.subject.localeCompare(b.subject))]));
}
