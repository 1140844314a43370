// Forward trace (DSCSA product tracing; DESIGN.md "Recalls and tracing"): from a batch or an ingredient lot
// to every pack, where it is now, who holds it, what carries it, and who supplied it to which patient
// pseudonym. Keyset pages by pack id: each page is one bounded query (plus one for the shipments it names),
// never OFFSET and never a query per pack, so a batch of 100,000 packs streams in pages of up to 1,000.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { affectedPacksCte } from './affected-packs';
import { batchesOf, decodeTraceCursor, encodeTraceCursor, TraceSubject, tracePageSize } from './trace-subject';
import { CustodianCount, ForwardTracePage, ForwardTraceSummary, MAX_SUMMARY_CUSTODIANS, TracedDispense, TracedPack, TracedShipment } from './trace-views';

/** Containers nest at most this deep (the custody rules refuse deeper). */
const MAX_NESTING = 8;

interface PackRow {
  id: string;
  batch_id: string;
  gtin: string;
  lot: string;
  state: string;
  parent_id: string | null;
  top_id: string;
  custodian_id: string;
  custodian_name: string;
  custodian_gln: string;
  shipment_id: string | null;
  shipment_from: string | null;
  shipment_to: string | null;
  shipped_at: Date | null;
  dispensed_by: string | null;
  pharmacy_name: string | null;
  pharmacy_gln: string | null;
  dispensed_at: Date | null;
  prescription_id: string | null;
  patient_pseudonym: string | null;
}

const iso = (d: Date): string => new Date(d).toISOString();

/**
 * The packs of `batches` after pack id `after`, `limit` of them in id order, each with its outermost
 * container, that container's custodian and open shipment, and its latest supply to a patient not undone.
 * The page is chosen first, so only its packs climb the containment tree: for each batch, its next `limit`
 * packs in id order from the index custody_items_batch_pack (batch_id, id), merged — never the whole batch
 * sorted (`batch_id = ANY(…) ORDER BY id` cannot read that index in order) nor the primary key filtered.
 */
const PAGE_SQL = `WITH RECURSIVE page AS (
    SELECT i.* FROM unnest($1::text[]) AS b(id) CROSS JOIN LATERAL (
      SELECT i.id, i.batch_id, i.state, i.parent_id, i.custodian_id, i.shipment_id FROM custody_items i
       WHERE i.batch_id = b.id AND i.kind = 'pack' AND ($2::text IS NULL OR i.id > $2) ORDER BY i.id LIMIT $3
    ) i ORDER BY i.id LIMIT $3
  ), up AS (
    SELECT p.id AS pack_id, c.id, c.parent_id, 1 AS depth FROM page p JOIN custody_items c ON c.id = p.parent_id
    UNION ALL
    SELECT up.pack_id, c.id, c.parent_id, up.depth + 1 FROM up JOIN custody_items c ON c.id = up.parent_id WHERE up.depth < ${MAX_NESTING}
  ), top AS (
    SELECT DISTINCT ON (pack_id) pack_id, id AS top_id FROM up ORDER BY pack_id, depth DESC
  ), affected AS (
    SELECT p.id, p.batch_id, p.state, p.parent_id, COALESCE(top.top_id, p.id) AS top_id,
           COALESCE(t.custodian_id, p.custodian_id) AS custodian_id,
           CASE WHEN top.top_id IS NULL THEN p.shipment_id ELSE t.shipment_id END AS top_shipment
      FROM page p LEFT JOIN top ON top.pack_id = p.id LEFT JOIN custody_items t ON t.id = top.top_id
  )
  SELECT a.id, a.batch_id, b.gtin, b.lot, a.state, a.parent_id, a.top_id, a.custodian_id,
         cp.legal_name AS custodian_name, cp.gln AS custodian_gln,
         s.id AS shipment_id, s.from_id AS shipment_from, s.to_id AS shipment_to, se.at AS shipped_at,
         d.participant_id AS dispensed_by, dph.legal_name AS pharmacy_name, dph.gln AS pharmacy_gln, d.at AS dispensed_at,
         d.prescription_id, pr.patient_pseudonym
    FROM affected a
    JOIN batches b ON b.id = a.batch_id
    JOIN participants cp ON cp.id = a.custodian_id
    LEFT JOIN shipments s ON s.id = a.top_shipment AND s.state = 'in_transit'
    LEFT JOIN ledger_events se ON se.seq = s.shipped_seq
    LEFT JOIN LATERAL (
      SELECT dc.participant_id, de.at, dc.prescription_id FROM decommissioned_packs dp
        JOIN decommissions dc ON dc.event_hash = dp.event_hash AND dc.kind = 'supplied'
        JOIN ledger_events de ON de.seq = dc.seq
       WHERE dp.pack_id = a.id AND dp.undone_seq IS NULL ORDER BY dc.seq DESC LIMIT 1
    ) d ON true
    LEFT JOIN participants dph ON dph.id = d.participant_id
    LEFT JOIN prescriptions pr ON pr.id = d.prescription_id
   ORDER BY a.id`;

/**
 * Open shipments by id, with the affected packs inside each at any depth: the shipment's items and
 * everything packed in them now (goods in transit cannot be repacked). The walk down goes by the parent index
 * one container at a time (OFFSET 0 keeps the planner from hashing every packed item of the country instead)
 * and carries each item's kind and batch, so the count needs no second look-up.
 */
const SHIPMENTS_SQL = `WITH RECURSIVE down AS (
    SELECT s.id AS shipment_id, c.id, c.kind, c.batch_id, 0 AS depth
      FROM shipments s CROSS JOIN LATERAL unnest(s.items) AS x(id) JOIN custody_items c ON c.id = x.id WHERE s.id = ANY($1::text[])
    UNION ALL
    SELECT d.shipment_id, c.id, c.kind, c.batch_id, d.depth + 1
      FROM down d CROSS JOIN LATERAL (SELECT i.id, i.kind, i.batch_id FROM custody_items i WHERE i.parent_id = d.id OFFSET 0) c WHERE d.depth < ${MAX_NESTING}
  ), counts AS (
    SELECT shipment_id, count(*) FILTER (WHERE kind = 'pack' AND batch_id = ANY($2::text[])) AS affected FROM down GROUP BY shipment_id
  )
  SELECT s.id, s.from_id, s.to_id, e.at AS shipped_at, cardinality(s.items) AS items, COALESCE(n.affected, 0) AS affected
    FROM shipments s JOIN ledger_events e ON e.seq = s.shipped_seq LEFT JOIN counts n ON n.shipment_id = s.id
   WHERE s.id = ANY($1::text[]) ORDER BY e.at, s.id`;

@Injectable()
export class ForwardTraceService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One page of the trace of `subject`: up to `first` (1–1000) packs after the cursor `after`, the open
   * shipments and the dispenses of those packs, and on the first page the summary.
   * Errors: BAD_REQUEST (subject, first, cursor), UNKNOWN_BATCH, UNKNOWN_ITEM (ingredient lot).
   */
  async page(subject: TraceSubject, first: number, after: string | null): Promise<ForwardTracePage> {
    const limit = tracePageSize(first);
    const afterId = decodeTraceCursor(after);
    const m = this.dataSource.manager;
    const batches = await batchesOf(m, subject);
    const rows: PackRow[] = batches.length === 0 ? [] : await m.query(PAGE_SQL, [batches, afterId, limit + 1]);
    const hasNextPage = rows.length > limit;
    const pageRows = rows.slice(0, limit);
    const openShipments = [...new Set(pageRows.map((r) => r.shipment_id).filter((s): s is string => s !== null))];
    const [summary, shipmentsInTransit] = await Promise.all([
      afterId === null ? this.summary(m, batches) : Promise.resolve(null),
      this.shipments(m, openShipments, batches),
    ]);
    return {
      summary,
      packs: pageRows.map(toPack),
      shipmentsInTransit,
      dispenses: pageRows.filter((r) => r.dispensed_by !== null).map(toDispense),
      endCursor: pageRows.length > 0 ? encodeTraceCursor(pageRows[pageRows.length - 1].id) : null,
      hasNextPage,
    };
  }

  /** Counts of every affected pack by state and by current custodian: one aggregate over the batches' packs. */
  async summary(m: EntityManager, batches: string[]): Promise<ForwardTraceSummary> {
    if (batches.length === 0) return { batches, totalPacks: 0, byState: [], byCustodian: [], byCustodianOmitted: 0 };
    const rows: Array<{ state: string; custodian_id: string; name: string; gln: string; packs: string }> = await m.query(
      `${affectedPacksCte('$1')}
       SELECT a.state, a.custodian_id, p.legal_name AS name, p.gln, count(*) AS packs
         FROM affected a JOIN participants p ON p.id = a.custodian_id GROUP BY a.state, a.custodian_id, p.legal_name, p.gln`,
      [batches],
    );
    const byState = new Map<string, number>();
    const byCustodian = new Map<string, CustodianCount>();
    let totalPacks = 0;
    for (const r of rows) {
      const n = Number(r.packs);
      totalPacks += n;
      byState.set(r.state, (byState.get(r.state) ?? 0) + n);
      const c = byCustodian.get(r.custodian_id) ?? { participantId: r.custodian_id, name: r.name, gln: r.gln, packs: 0 };
      c.packs += n;
      byCustodian.set(r.custodian_id, c);
    }
    return {
      batches,
      totalPacks,
      byState: [...byState].map(([state, packs]) => ({ state, packs })).sort((a, b) => a.state.localeCompare(b.state)),
      // The MAX_SUMMARY_CUSTODIANS custodians with the most packs; the pages list every pack's custodian.
      byCustodian: [...byCustodian.values()].sort((a, b) => b.packs - a.packs || a.participantId.localeCompare(b.participantId)).slice(0, MAX_SUMMARY_CUSTODIANS),
      byCustodianOmitted: Math.max(byCustodian.size - MAX_SUMMARY_CUSTODIANS, 0),
    };
  }

  private async shipments(m: EntityManager, ids: string[], batches: string[]): Promise<TracedShipment[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string; from_id: string; to_id: string; shipped_at: Date; items: number; affected: string }> = await m.query(SHIPMENTS_SQL, [ids, batches]);
    return rows.map((r) => ({ id: r.id, fromId: r.from_id, toId: r.to_id, shippedAt: iso(r.shipped_at), items: Number(r.items), affectedPacks: Number(r.affected) }));
  }
}

function toPack(r: PackRow): TracedPack {
  return {
    id: r.id,
    batchId: r.batch_id,
    gtin: r.gtin,
    lot: r.lot,
    state: r.state,
    custodianId: r.custodian_id,
    custodianName: r.custodian_name,
    custodianGln: r.custodian_gln,
    containerId: r.parent_id,
    outermostContainerId: r.top_id === r.id ? null : r.top_id,
    shipmentId: r.shipment_id,
    shipmentFromId: r.shipment_from,
    shipmentToId: r.shipment_to,
    shippedAt: r.shipped_at ? iso(r.shipped_at) : null,
  };
}

function toDispense(r: PackRow): TracedDispense {
  return {
    packId: r.id,
    pharmacyId: r.dispensed_by ?? '',
    pharmacyName: r.pharmacy_name ?? '',
    pharmacyGln: r.pharmacy_gln ?? '',
    dispensedAt: r.dispensed_at ? iso(r.dispensed_at) : '',
    prescriptionId: r.prescription_id ?? '',
    patientPseudonym: r.patient_pseudonym ?? '',
  };
}
