// Which readings are evidence about an item: those taken within its custody window, by someone who then
// answered for it. Readings are attached to what the logger sat with — the item itself, a case or pallet
// it was packed in, a shipment it travelled in — and each kind counts only over its own part of the window:
//
// - the item's own readings, and its containers', from the item's commissioning (creation) on, while it sat
//   in that container, and only those recorded by keys of the participant who held it at the time;
// - a shipment's readings from its shipping until its receipt, refusal or void (open while in transit),
//   and only those recorded by keys of its sender or recipient.
//
// Everything else attached to those subjects (readings taken before the item existed, after a handover,
// or by someone who did not hold it then) is kept and shown, but counts for nothing.
//
// Custody is read from the custody tables as they stand: an item's custodian changes only when a shipment
// carrying it (or a container it sat in) closes — received: the recipient; refused or voided: the sender,
// who stays custodian while it is in transit. Times of sequence numbers are the server's acceptance times.
import { EntityManager } from 'typeorm';
import { shipmentSubject } from '../custody-parties';

/** Readings of `subject` taken in [since, until) by keys of any of `parties`; null bounds are open. */
export interface ReadingSource {
  subject: string;
  since: string | null;
  until: string | null;
  /** Participants whose keys' readings count (sorted); nobody else's do. */
  parties: string[];
}

/** A window in sequence numbers, [fromSeq, toSeq); toSeq null is open. */
interface SeqSource {
  subject: string;
  fromSeq: number;
  toSeq: number | null;
  parties: string[];
}

interface HolderRow {
  item_id: string;
  holder: string;
  from_seq: string;
  to_seq: string | null;
  custodian_id: string;
}

interface CarryRow {
  item_id: string;
  holder_to_seq: string | null;
  shipment_id: string;
  from_id: string;
  to_id: string;
  state: string;
  shipped_seq: string;
  closed_seq: string | null;
}

const NO_END = '9223372036854775807';
const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
const minSeq = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/**
 * Merges windows per subject into disjoint ones, each with every party any overlapping window admits, so
 * that a reading matches at most one window of its subject (and is never counted twice). Empty windows
 * (since ≥ until: e.g. custody that began and ended in one batch) are dropped. Pure; sorted by subject, then time.
 */
export function normalizeSources(sources: readonly ReadingSource[]): ReadingSource[] {
  const bySubject = new Map<string, ReadingSource[]>();
  for (const s of sources) bySubject.set(s.subject, [...(bySubject.get(s.subject) ?? []), s]);
  const out: ReadingSource[] = [];
  for (const subject of [...bySubject.keys()].sort()) {
    const windows = bySubject.get(subject) ?? [];
    const lo = (s: ReadingSource) => (s.since === null ? -Infinity : Date.parse(s.since));
    const hi = (s: ReadingSource) => (s.until === null ? Infinity : Date.parse(s.until));
    const cuts = [...new Set(windows.flatMap((s) => [lo(s), hi(s)]))].sort((a, b) => a - b);
    let open: ReadingSource | null = null;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [from, to] = [cuts[i], cuts[i + 1]];
      const parties = [...new Set(windows.filter((s) => lo(s) <= from && hi(s) >= to).flatMap((s) => s.parties))].sort();
      const since = from === -Infinity ? null : new Date(from).toISOString();
      const until = to === Infinity ? null : new Date(to).toISOString();
      if (parties.length === 0) {
        open = null;
      } else if (open && open.until === since && open.parties.join('\u0000') === parties.join('\u0000')) {
        open.until = until;
      } else {
        open = { subject, since, until, parties };
        out.push(open);
      }
    }
  }
  return out;
}

/** The window of a shipment's own readings: shipping to closing, its sender's and recipient's keys. */
export function shipmentWindow(s: { id: string; fromId: string; toId: string; shippedAt: string; closedAt: string | null }): ReadingSource {
  return { subject: shipmentSubject(s.id), since: s.shippedAt, until: s.closedAt, parties: [...new Set([s.fromId, s.toId])].sort() };
}

/**
 * For each item, the windows of every subject whose readings are evidence about it (see the top of this
 * file): itself and each container it sat in, split by who held it, and each shipment that carried it.
 */
export async function windowSources(m: EntityManager, itemIds: string[]): Promise<Map<string, ReadingSource[]>> {
  if (itemIds.length === 0) return new Map();
  // Where the item sat, and when: itself from its creation on, then each container (at any depth) over the
  // part of the containment log that overlaps the time the level below sat where it did.
  const holders: HolderRow[] = await m.query(
    `WITH RECURSIVE h AS (
       SELECT i.id AS item_id, i.id AS holder, i.created_seq AS from_seq, NULL::bigint AS to_seq, 0 AS depth
         FROM custody_items i WHERE i.id = ANY($1::text[])
       UNION ALL
       SELECT h.item_id, c.parent_id, GREATEST(h.from_seq, c.from_seq), LEAST(h.to_seq, c.to_seq), h.depth + 1
         FROM h JOIN containment_log c ON c.child_id = h.holder
        WHERE h.depth < 8
          AND c.from_seq < COALESCE(h.to_seq, ${NO_END}) AND COALESCE(c.to_seq, ${NO_END}) > h.from_seq
     )
     SELECT h.item_id, h.holder, h.from_seq, h.to_seq, i.custodian_id
       FROM h JOIN custody_items i ON i.id = h.item_id`,
    [itemIds],
  );
  // Shipments that carried the item: those of a holder shipped while the item sat in it (nothing is
  // unpacked in transit, so the item travelled the whole way).
  const carried: CarryRow[] = await m.query(
    `SELECT h.item_id, h.to_seq AS holder_to_seq, s.id AS shipment_id, s.from_id, s.to_id, s.state, s.shipped_seq, s.closed_seq
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS h(item_id, holder, from_seq, to_seq)
       JOIN shipments s ON s.items @> ARRAY[h.holder]
      WHERE s.shipped_seq >= h.from_seq AND s.shipped_seq < COALESCE(h.to_seq, ${NO_END})
      ORDER BY h.item_id, s.shipped_seq`,
    [holders.map((h) => h.item_id), holders.map((h) => h.holder), holders.map((h) => h.from_seq), holders.map((h) => h.to_seq)],
  );

  const levelsOf = groupBy(holders, (h) => h.item_id);
  const carriedOf = groupBy(carried, (c) => c.item_id);
  const bySeq = new Map<string, SeqSource[]>();
  for (const id of new Set(itemIds)) {
    const levels = levelsOf.get(id) ?? [];
    const own = levels.find((h) => h.holder === id);
    if (!own) continue; // not an item (or not registered): nothing is evidence about it
    const trips = dedupeTrips(carriedOf.get(id) ?? []);
    // Who held it when: the first sender from creation (or its custodian throughout, if it never travelled),
    // then whoever each closed shipment left it with. A shipment still in transit leaves it with its sender.
    const custody: Array<{ party: string; fromSeq: number; toSeq: number | null }> = [];
    let start = Number(own.from_seq);
    let holder = trips[0]?.from_id ?? own.custodian_id;
    for (const t of trips) {
      if (t.closed_seq === null) break;
      custody.push({ party: t.from_id, fromSeq: start, toSeq: Number(t.closed_seq) });
      holder = t.state === 'received' ? t.to_id : t.from_id;
      start = Number(t.closed_seq);
    }
    custody.push({ party: holder, fromSeq: start, toSeq: null });

    const sources: SeqSource[] = [];
    for (const level of levels) {
      const [lf, lt] = [Number(level.from_seq), num(level.to_seq)];
      for (const c of custody) {
        const fromSeq = Math.max(lf, c.fromSeq);
        const toSeq = minSeq(lt, c.toSeq);
        if (toSeq === null || fromSeq < toSeq) sources.push({ subject: level.holder, fromSeq, toSeq, parties: [c.party] });
      }
    }
    for (const t of trips) {
      sources.push({
        subject: shipmentSubject(t.shipment_id),
        fromSeq: Number(t.shipped_seq),
        toSeq: minSeq(num(t.closed_seq), num(t.holder_to_seq)),
        parties: [t.from_id, t.to_id],
      });
    }
    bySeq.set(id, sources);
  }

  const times = await seqTimes(m, [...bySeq.values()].flat().flatMap((s) => (s.toSeq === null ? [s.fromSeq] : [s.fromSeq, s.toSeq])));
  const at = (seq: number): string => {
    const t = times.get(seq);
    if (t === undefined) throw new Error(`No ledger event #${seq}: the custody tables name an event the log does not hold.`);
    return t;
  };
  return new Map(
    [...bySeq].map(([item, sources]) => [
      item,
      normalizeSources(sources.map((s) => ({ subject: s.subject, since: at(s.fromSeq), until: s.toSeq === null ? null : at(s.toSeq), parties: s.parties }))),
    ]),
  );
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** One row per shipment (an item reached through two levels of one shipment is carried once), in shipping order. */
function dedupeTrips(rows: CarryRow[]): CarryRow[] {
  const seen = new Set<string>();
  return rows
    .filter((r) => (seen.has(r.shipment_id) ? false : (seen.add(r.shipment_id), true)))
    .sort((a, b) => Number(a.shipped_seq) - Number(b.shipped_seq));
}

/** Server acceptance time of each sequence number. */
async function seqTimes(m: EntityManager, seqs: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(seqs)];
  if (unique.length === 0) return new Map();
  const rows: Array<{ seq: string; received_at: Date }> = await m.query('SELECT seq, received_at FROM ledger_events WHERE seq = ANY($1::bigint[])', [unique]);
  return new Map(rows.map((r) => [Number(r.seq), new Date(r.received_at).toISOString()]));
}
