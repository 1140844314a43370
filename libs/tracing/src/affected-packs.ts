// Where the packs of some batches are now: the one query recalls, tracing and notifications build on.
// A pack's custodian and transit are those of its outermost container (DESIGN.md "Items, custody and
// states"); only packed packs climb the containment tree, so a batch of 100,000 loose packs is one index
// scan of custody_items_batch_state.
import { EntityManager } from 'typeorm';

/**
 * A `WITH RECURSIVE` prefix defining `affected(id, batch_id, state, parent_id, top_id, custodian_id,
 * top_shipment)`: every pack of the batches in the text[] parameter `batchesParam`, with its outermost
 * container (`top_id`, itself when loose), that container's custodian, and the open shipment it travels in.
 * Append `SELECT … FROM affected …`.
 */
export function affectedPacksCte(batchesParam: string): string {
  // The containment tree is climbed once per distinct container the packs sit in directly (a batch of
  // 100,000 packs in 1,000 cases climbs from 1,000 rows, by primary key), not once per pack: climbing per
  // pack made the planner hash the whole of custody_items at each level (EXPLAIN in bench/recalls.bench.ts).
  return `WITH RECURSIVE packs AS (
      SELECT i.id, i.batch_id, i.state, i.parent_id, i.custodian_id, i.shipment_id FROM custody_items i
       WHERE i.batch_id = ANY(${batchesParam}::text[]) AND i.kind = 'pack'
    ), up AS (
      SELECT c.id AS start_id, c.id, c.parent_id, c.custodian_id, c.shipment_id, 1 AS depth
        FROM (SELECT DISTINCT parent_id FROM packs WHERE parent_id IS NOT NULL) p JOIN custody_items c ON c.id = p.parent_id
      UNION ALL
      SELECT up.start_id, c.id, c.parent_id, c.custodian_id, c.shipment_id, up.depth + 1 FROM up JOIN custody_items c ON c.id = up.parent_id WHERE up.depth < 8
    ), top AS (
      SELECT DISTINCT ON (start_id) start_id, id AS top_id, custodian_id, shipment_id FROM up ORDER BY start_id, depth DESC
    ), affected AS (
      SELECT p.id, p.batch_id, p.state, p.parent_id, COALESCE(top.top_id, p.id) AS top_id,
             COALESCE(top.custodian_id, p.custodian_id) AS custodian_id,
             CASE WHEN top.top_id IS NULL THEN p.shipment_id ELSE top.shipment_id END AS top_shipment
        FROM packs p LEFT JOIN top ON top.start_id = p.parent_id
    )`;
}

/** Why a participant must hear of a recall (a participant may have several). */
export type HolderReason = 'custodian' | 'in_transit_recipient' | 'supplier';

export interface RecallHolder {
  participantId: string;
  reasons: HolderReason[];
  /** Affected packs (and ingredient lots) it holds, is about to receive, or supplied to patients. */
  packs: number;
}

/** States of goods still somewhere in the chain (a recall makes them `recalled`): their holders are told. */
const HELD_STATES = ['recalled', 'active', 'in_transit', 'quarantined', 'locked', 'expired'];

/**
 * Every participant that must be told of a recall of `batchIds` and `ingredientLotIds`: the current
 * custodian of each affected pack or ingredient lot still in the chain, the recipient of every open shipment
 * carrying one, and every pharmacy that supplied (dispensed, not undone) a pack of those batches.
 */
export async function recallHolders(m: EntityManager, batchIds: string[], ingredientLotIds: string[] = []): Promise<RecallHolder[]> {
  const rows: Array<{ participant_id: string; reason: HolderReason; packs: string }> = await m.query(
    `${affectedPacksCte('$1')}
     SELECT custodian_id AS participant_id, 'custodian' AS reason, count(*) AS packs FROM affected
      WHERE state = ANY($3::text[]) GROUP BY custodian_id
     UNION ALL
     SELECT s.to_id, 'in_transit_recipient', count(*) FROM affected a JOIN shipments s ON s.id = a.top_shipment
      WHERE a.state = ANY($3::text[]) AND s.state = 'in_transit' GROUP BY s.to_id
     UNION ALL
     SELECT d.participant_id, 'supplier', count(*) FROM affected a
       JOIN decommissioned_packs dp ON dp.pack_id = a.id AND dp.undone_seq IS NULL
       JOIN decommissions d ON d.event_hash = dp.event_hash AND d.kind = 'supplied'
      WHERE a.state IN ('supplied', 'dispensed') GROUP BY d.participant_id
     UNION ALL
     SELECT i.custodian_id, 'custodian', count(*) FROM custody_items i
      WHERE i.id = ANY($2::text[]) AND i.state = ANY($3::text[]) GROUP BY i.custodian_id
     UNION ALL
     SELECT s.to_id, 'in_transit_recipient', count(*) FROM custody_items i JOIN shipments s ON s.id = i.shipment_id
      WHERE i.id = ANY($2::text[]) AND s.state = 'in_transit' GROUP BY s.to_id`,
    [batchIds, ingredientLotIds, HELD_STATES],
  );
  const byParticipant = new Map<string, RecallHolder>();
  for (const r of rows) {
    const h = byParticipant.get(r.participant_id) ?? { participantId: r.participant_id, reasons: [], packs: 0 };
    if (!h.reasons.includes(r.reason)) h.reasons.push(r.reason);
    h.packs += Number(r.packs);
    byParticipant.set(r.participant_id, h);
  }
  return [...byParticipant.values()].sort((a, b) => a.participantId.localeCompare(b.participantId));
}
