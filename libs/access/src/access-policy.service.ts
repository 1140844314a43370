// The one place that decides what a signed-in participant may read (docs/access-model.md). Resolvers ask
// it and never filter by hand; whatever it hides answers exactly like an object that does not exist.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { effectiveItems } from '@pharmatrace/custody';
import { DomainError } from '@pharmatrace/errors';
import { EVERYTHING, NOTHING, Viewer } from './viewer';

const MAX_SEQ = '9223372036854775807';
/** Containers nest at most this deep (pallet → case → pack is 2); the custody rules refuse deeper. */
const MAX_NESTING = 8;

/**
 * Every item the senders in $1 (text[]) shipped and, at any depth, what was packed in it at shipping time
 * (containment_log), with sender and recipient: shipments in transit or received (refused and voided ones left
 * the goods with the sender). Shared with recall progress (libs/tracing: which packs had left their manufacturer).
 */
export const DIRECT_SHIPMENTS_CTE = `WITH RECURSIVE down(from_id, to_id, id, at_seq, depth) AS (
         SELECT s.from_id, s.to_id, x.id, s.shipped_seq, 0 FROM shipments s CROSS JOIN LATERAL unnest(s.items) AS x(id)
          WHERE s.from_id = ANY($1::text[]) AND s.state IN ('in_transit', 'received')
         UNION ALL
         SELECT d.from_id, d.to_id, c.child_id, d.at_seq, d.depth + 1 FROM down d
           JOIN containment_log c ON c.parent_id = d.id AND c.from_seq <= d.at_seq AND COALESCE(c.to_seq, ${MAX_SEQ}) > d.at_seq
          WHERE d.depth < ${MAX_NESTING}
       )`;
/** Completes DIRECT_SHIPMENTS_CTE: `down d` restricted to packs (`i`) of the batches in $2 (text[]). */
export const DIRECT_PACKS = `down d JOIN custody_items i ON i.id = d.id AND i.kind = 'pack' AND i.batch_id = ANY($2::text[])`;

export type ReadingScope = { kind: 'all' } | { kind: 'none' } | { kind: 'within'; throughSeq: number; participantId: string };

/**
 * What a caller sees of a recall's progress: everything (regulators), or, for a manufacturer's own recall,
 * the counts of its own batches with custodians named only among `named` (itself and its direct customers).
 */
export type RecallProgressScope =
  | { kind: 'all' }
  | {
      kind: 'counts';
      batchIds: string[];
      /** The manufacturer itself, then its direct customers. */
      named: string[];
      self: string;
      /** Per direct customer, the packs of `batchIds` the manufacturer shipped to it itself (directCustomerPacks). */
      shippedTo: ReadonlyMap<string, readonly string[]>;
    };

/** Which verification alerts a caller sees (AccessPolicy.alertScope), and whether their evidence may name pharmacies. */
export type AlertScope = { kind: 'all'; namesPharmacies: true } | { kind: 'manufacturer'; manufacturerId: string; namesPharmacies: false } | { kind: 'none' };

/** What a caller sees of a recall's deliveries: every row (regulators), or rows of `named` only and an aggregate of the rest. */
export type RecallDeliveriesScope = { kind: 'all' } | { kind: 'named'; named: string[] };
/** Which DSCSA verification requests a viewer reads: all, those about its products or sent by it, or those sent by it. */
export type VrsRequestScope = { kind: 'all' } | { kind: 'aboutOrBy'; participantId: string } | { kind: 'by'; participantId: string };

export interface ShipmentParties {
  fromId: string;
  toId: string;
}

/** What decides who may see a prescription: who issued it, and for which patient pseudonym. */
export interface PrescriptionParties {
  prescriberId: string;
  patientPseudonym: string;
}

/**
 * Who a recall concerns, as seen from one viewer: its initiator, the manufacturers of the batches it covers,
 * and whether the viewer itself was notified of it (a recall_notifications row, written by the worker).
 */
export interface RecallParties {
  initiatorId: string;
  batchManufacturerIds: readonly string[];
  viewerNotified: boolean;
}

/**
 * Read rules, after DSCSA (transaction data stays between trading partners) and the EU FMD repositories
 * (a manufacturer does not learn which pharmacy dispensed its pack):
 * - a regulator reads everything;
 * - a participant reads its own participant chain, the products and batches it registered, its shipments,
 *   events it signed or is a party to (sender or recipient of a shipment the event touches), and an
 *   item's history up to the last event it took part in (all of it, and the item's current state, while
 *   it holds the item or it is on the way to it): provenance, never what happened after the handover;
 * - a manufacturer reads its quarantined goods' current state, wherever they are, to release them;
 * - a prescription is read by its prescriber (its whole chain) and regulators, and by a pharmacy that
 *   presents its id with the matching patient pseudonym (the row only, not the chain's events).
 */
/**
 * The reasons a holder was told of a recall, as its manufacturer may see them for a direct customer: never
 * `supplier` (that it dispensed packs — EU FMD art. 38 keeps dispensing from the manufacturer).
 */
export function reasonsShownToManufacturer(reasons: readonly string[]): string[] {
  return reasons.filter((r) => r !== 'supplier');
}

@Injectable()
export class AccessPolicy {
  constructor(private readonly dataSource: DataSource) {}

  isRegulator(viewer: Viewer): boolean {
    return viewer.role === 'regulator';
  }

  /**
   * DSCSA verification requests (docs/dscsa-vrs.md): regulators read all; a manufacturer those about its
   * products (requester named: they are trading partners in a DSCSA verification) and those it sent;
   * anyone else only those it sent.
   */
  vrsRequestScope(viewer: Viewer): VrsRequestScope {
    if (this.isRegulator(viewer)) return { kind: 'all' };
    if (viewer.role === 'manufacturer') return { kind: 'aboutOrBy', participantId: viewer.participantId };
    return { kind: 'by', participantId: viewer.participantId };
  }

  canSeeShipment(viewer: Viewer, shipment: ShipmentParties): boolean {
    return this.isRegulator(viewer) || shipment.fromId === viewer.participantId || shipment.toId === viewer.participantId;
  }

  /**
   * A prescription is seen by its prescriber and regulators, and by a pharmacy that presents its id together
   * with the patient's pseudonym (from the patient's e-prescription token). A pseudonym presented by anyone
   * must match; a prescriber or regulator may leave it out. Anyone else gets the answer for no prescription.
   */
  canSeePrescription(viewer: Viewer, prescription: PrescriptionParties, presentedPseudonym: string | null): boolean {
    if (presentedPseudonym !== null && presentedPseudonym !== prescription.patientPseudonym) return false;
    if (this.isRegulator(viewer) || prescription.prescriberId === viewer.participantId) return true;
    return viewer.role === 'pharmacy' && presentedPseudonym !== null;
  }

  /**
   * A recall (`recall:<id>`: the row, its batches, lots and revisions, and its chain) is seen by regulators, its
   * initiator, the manufacturers of its batches, and participants notified of it (holders of affected goods);
   * anyone else gets the answer for a recall that does not exist (UNKNOWN_RECALL, or null).
   */
  canSeeRecall(viewer: Viewer, recall: RecallParties): boolean {
    if (this.isRegulator(viewer) || recall.initiatorId === viewer.participantId || recall.viewerNotified) return true;
    return viewer.role === 'manufacturer' && recall.batchManufacturerIds.includes(viewer.participantId);
  }

  /**
   * Verification alerts (libs/scan-alerts): regulators see every alert with all its evidence; a manufacturer the
   * alerts on its own products (verification_alerts.manufacturer_id), without the identity of the pharmacies that
   * met the pack (`namesPharmacies` false — EU FMD art. 38: the repositories do not show a manufacturer where its
   * packs were dispensed); anyone else none — an alert it may not see answers UNKNOWN_ALERT, like a missing one.
   */
  alertScope(viewer: Viewer): AlertScope {
    if (this.isRegulator(viewer)) return { kind: 'all', namesPharmacies: true };
    if (viewer.role === 'manufacturer') return { kind: 'manufacturer', manufacturerId: viewer.participantId, namesPharmacies: false };
    return { kind: 'none' };
  }

  /** Whether `viewer` may see (and, as regulator or the product's manufacturer, update) an alert of `manufacturerId`'s product. */
  canSeeAlert(viewer: Viewer, alert: { manufacturerId: string | null }): boolean {
    const scope = this.alertScope(viewer);
    return scope.kind === 'all' || (scope.kind === 'manufacturer' && alert.manufacturerId === scope.manufacturerId);
  }

  /**
   * Forward traces (every pack of a batch, wherever it went, and who it was supplied to) are for regulators:
   * DSCSA keeps downstream transactions between trading partners and EU FMD art. 38 does not show a
   * manufacturer where its packs went. FORBIDDEN_ROLE for anyone else.
   */
  assertMayTraceForward(viewer: Viewer): void {
    if (this.isRegulator(viewer)) return;
    throw new DomainError(
      'FORBIDDEN_ROLE',
      `Forward traces are for regulators; you are signed in as a ${viewer.role}. Trace a pack you held backward (traceBackward), or, as a manufacturer, follow your recall with recallProgress.`,
    );
  }

  /**
   * A recall's progress: regulators see all of it; a manufacturer sees the counts of a recall it initiated
   * or that covers its batches (its own batches' packs), naming only its direct customers (participants it
   * shipped affected goods to itself) — everything further down is one aggregated line. Anyone else: null,
   * to be answered like an unknown recall (UNKNOWN_RECALL).
   */
  async recallProgressScope(viewer: Viewer, recallId: string): Promise<RecallProgressScope | null> {
    if (this.isRegulator(viewer)) return { kind: 'all' };
    if (viewer.role !== 'manufacturer') return null;
    const me = viewer.participantId;
    const [row]: Array<{ initiator_id: string; own: string[] | null; every: string[] | null }> = await this.dataSource.query(
      `SELECT r.initiator_id, array_agg(rb.batch_id) FILTER (WHERE b.manufacturer_id = $2) AS own, array_agg(rb.batch_id) FILTER (WHERE rb.batch_id IS NOT NULL) AS every
         FROM recalls r LEFT JOIN recall_batches rb ON rb.recall_id = r.id LEFT JOIN batches b ON b.id = rb.batch_id
        WHERE r.id = $1 GROUP BY r.id, r.initiator_id`,
      [recallId, me],
    );
    if (!row) return null;
    const own = row.own ?? [];
    if (own.length === 0 && row.initiator_id !== me) return null;
    const batchIds = own.length > 0 ? own : (row.every ?? []);
    const shippedTo = await this.directCustomerPacks(me, batchIds);
    return { kind: 'counts', batchIds, named: [me, ...[...shippedTo.keys()].sort()], self: me, shippedTo };
  }

  /** Participants `me` shipped packs of `batchIds` to itself (loose or in a container at shipping time), not refused or voided. */
  private async directCustomers(me: string, batchIds: string[]): Promise<string[]> {
    if (batchIds.length === 0) return [];
    const rows: Array<{ to_id: string }> = await this.dataSource.query(`${DIRECT_SHIPMENTS_CTE} SELECT DISTINCT d.to_id FROM ${DIRECT_PACKS}`, [[me], batchIds]);
    return rows.map((r) => r.to_id).sort();
  }

  /**
   * The same shipments as directCustomers, with what went in them: per direct customer, the packs of `batchIds`
   * `me` shipped to it itself. One set-based query (a batch of 100,000 packs is one walk down the containers).
   */
  private async directCustomerPacks(me: string, batchIds: string[]): Promise<Map<string, string[]>> {
    if (batchIds.length === 0) return new Map();
    const rows: Array<{ to_id: string; packs: string[] }> = await this.dataSource.query(
      `${DIRECT_SHIPMENTS_CTE} SELECT d.to_id, array_agg(DISTINCT d.id) AS packs FROM ${DIRECT_PACKS} GROUP BY d.to_id`,
      [[me], batchIds],
    );
    return new Map(rows.map((r) => [r.to_id, r.packs]));
  }

  /**
   * Who was told of a recall, their acknowledgements and webhook deliveries (recallDeliveries): regulators all of
   * it; the recall's initiator the rows of itself and its direct customers (directCustomers over the recall's
   * batches), everyone further down only as one aggregated line (EU FMD art. 38). Anyone else: null, to be
   * answered like an unknown recall (UNKNOWN_RECALL).
   */
  async recallDeliveriesScope(viewer: Viewer, recall: { initiatorId: string; batchIds: string[] }): Promise<RecallDeliveriesScope | null> {
    if (this.isRegulator(viewer)) return { kind: 'all' };
    const me = viewer.participantId;
    if (recall.initiatorId !== me) return null;
    return { kind: 'named', named: [me, ...(await this.directCustomers(me, recall.batchIds))] };
  }

  /** How far along one asset's chain the viewer may read (see Viewer's NOTHING / EVERYTHING). */
  async horizon(viewer: Viewer, assetId: string): Promise<number> {
    return (await this.horizons(viewer, [assetId])).get(assetId) ?? NOTHING;
  }

  /** True when the viewer may see the asset's whole chain and its current state (custodian, contents, verdicts). */
  async seesCurrentState(viewer: Viewer, assetId: string): Promise<boolean> {
    return (await this.horizon(viewer, assetId)) === EVERYTHING;
  }

  /** Horizon per asset id; every id given has an entry. */
  async horizons(viewer: Viewer, assetIds: string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    const ids = [...new Set(assetIds)];
    const out = new Map<string, number>(ids.map((id) => [id, this.isRegulator(viewer) ? EVERYTHING : NOTHING]));
    if (this.isRegulator(viewer) || ids.length === 0) return out;
    const me = viewer.participantId;
    for (const id of await this.ownedOrHeld(m, me, ids)) out.set(id, EVERYTHING);
    const rest = ids.filter((id) => out.get(id) !== EVERYTHING);
    if (rest.length > 0) {
      for (const [id, seq] of await this.partyHorizons(m, me, rest)) out.set(id, seq);
    }
    return out;
  }

  /**
   * Whether the viewer may see the event at `seq`: it signed it, is a party to it, or the event lies within
   * its horizon on an asset the event touched, created, or carried inside a container.
   */
  async canSeeEvent(viewer: Viewer, seq: number, m: EntityManager = this.dataSource.manager): Promise<boolean> {
    if (this.isRegulator(viewer)) return true;
    const me = viewer.participantId;
    const [row]: Array<{ party: boolean }> = await m.query(
      `SELECT (e.actor = $2
               OR EXISTS (SELECT 1 FROM event_assets a WHERE a.seq = e.seq AND a.asset_id = 'participant:' || $2)
               OR EXISTS (SELECT 1 FROM event_assets a JOIN shipments s ON s.id = a.asset_id
                           WHERE a.seq = e.seq AND a.asset_id LIKE 'shipment:%' AND (s.from_id = $2 OR s.to_id = $2))) AS party
         FROM ledger_events e WHERE e.seq = $1`,
      [seq, me],
    );
    if (!row) return false;
    if (row.party) return true;
    const touched: Array<{ id: string }> = await m.query(
      `WITH RECURSIVE direct AS (
         SELECT asset_id AS id FROM event_assets WHERE seq = $1
         UNION SELECT id FROM custody_items WHERE created_seq = $1
       ), inside(id, depth) AS (
         SELECT id, 0 FROM direct
         UNION ALL
         SELECT c.child_id, inside.depth + 1 FROM inside JOIN containment_log c ON c.parent_id = inside.id
          WHERE c.from_seq <= $1 AND COALESCE(c.to_seq, ${MAX_SEQ}) >= $1 AND inside.depth < ${MAX_NESTING}
       ) SELECT DISTINCT id FROM inside`,
      [seq],
    );
    const horizons = await this.horizons(viewer, touched.map((t) => t.id), m);
    return [...horizons.values()].some((h) => h >= seq);
  }

  /**
   * Which temperature readings of a subject (item, container or shipment) the viewer may read: all of
   * them (regulator, holder, shipment party), those uploaded within its horizon or by its own keys, or none.
   */
  async readingScope(viewer: Viewer, subject: string): Promise<ReadingScope> {
    if (subject.startsWith('shipment:')) {
      const rows: ShipmentParties[] = await this.dataSource.query('SELECT from_id AS "fromId", to_id AS "toId" FROM shipments WHERE id = $1', [subject]);
      return rows[0] && this.canSeeShipment(viewer, rows[0]) ? { kind: 'all' } : { kind: 'none' };
    }
    const horizon = await this.horizon(viewer, subject);
    if (horizon === EVERYTHING) return { kind: 'all' };
    if (horizon === NOTHING) return { kind: 'none' };
    return { kind: 'within', throughSeq: horizon, participantId: viewer.participantId };
  }

  /** How many of a subject's readings a 'within' scope shows. */
  async countReadingsWithin(subject: string, scope: Extract<ReadingScope, { kind: 'within' }>): Promise<number> {
    const [row]: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*) AS n FROM cold_chain_readings r LEFT JOIN participant_keys k ON k.kid = r.logger_kid
        WHERE r.subject = $1 AND (r.upload_seq <= $2 OR k.participant_id = $3)`,
      [subject, scope.throughSeq, scope.participantId],
    );
    return Number(row.n);
  }

  /** The viewer's own keys (readings it uploaded itself stay visible to it). */
  async ownKeys(participantId: string): Promise<Set<string>> {
    const rows: Array<{ kid: string }> = await this.dataSource.query('SELECT kid FROM participant_keys WHERE participant_id = $1', [participantId]);
    return new Set(rows.map((r) => r.kid));
  }

  /** Assets whose whole chain the viewer may read: its own, ones it registered, and goods it holds or receives. */
  private async ownedOrHeld(m: EntityManager, me: string, ids: string[]): Promise<string[]> {
    const owned: Array<{ id: string }> = await m.query(
      `SELECT a.id FROM unnest($1::text[]) AS a(id)
        WHERE a.id = 'participant:' || $2
           OR EXISTS (SELECT 1 FROM shipments s WHERE s.id = a.id AND (s.from_id = $2 OR s.to_id = $2))
           OR EXISTS (SELECT 1 FROM products p WHERE a.id LIKE 'product:%' AND p.gtin = substr(a.id, 9) AND p.manufacturer_id = $2)
           OR EXISTS (SELECT 1 FROM batches b WHERE b.id = a.id AND b.manufacturer_id = $2)
           OR EXISTS (SELECT 1 FROM prescriptions r WHERE a.id LIKE 'prescription:%' AND r.id = substr(a.id, 14) AND r.prescriber_id = $2)
           -- a recall's chain: whoever canSeeRecall lets see the recall
           OR (a.id LIKE 'recall:%' AND (EXISTS (SELECT 1 FROM recalls rc WHERE rc.id = a.id AND rc.initiator_id = $2)
               OR EXISTS (SELECT 1 FROM recall_batches rb JOIN batches b ON b.id = rb.batch_id WHERE rb.recall_id = a.id AND b.manufacturer_id = $2)
               OR EXISTS (SELECT 1 FROM recall_notifications n WHERE n.recall_id = a.id AND n.participant_id = $2)))`,
      [ids, me],
    );
    const out = owned.map((o) => o.id);
    const items = await effectiveItems(m, ids.filter((id) => !out.includes(id)));
    const inbound = [...new Set([...items.values()].map((i) => i.inTransitOn).filter((s): s is string => s !== null))];
    const toMe = new Set<string>();
    if (inbound.length > 0) {
      const rows: Array<{ id: string }> = await m.query('SELECT id FROM shipments WHERE id = ANY($1::text[]) AND to_id = $2', [inbound, me]);
      for (const r of rows) toMe.add(r.id);
    }
    for (const item of items.values()) {
      const holds = item.custodianId === me || (item.inTransitOn !== null && toMe.has(item.inTransitOn));
      // The manufacturer must find and release (or have destroyed) its quarantined goods wherever they are.
      const mustAct = item.state === 'quarantined' && item.manufacturerId === me;
      if (holds || mustAct) out.push(item.id);
    }
    return out;
  }

  /**
   * The last event in each asset's history (its own events, and its containers' while it was inside) that
   * `me` signed or was a party to; assets with none are absent.
   */
  private async partyHorizons(m: EntityManager, me: string, ids: string[]): Promise<Map<string, number>> {
    const rows: Array<{ root: string; horizon: string }> = await m.query(
      `WITH RECURSIVE windows(root, asset_id, from_seq, to_seq, depth) AS (
         SELECT r.id, r.id, 0::bigint, ${MAX_SEQ}::bigint, 0 FROM unnest($1::text[]) AS r(id)
         UNION ALL
         SELECT w.root, c.parent_id, GREATEST(w.from_seq, c.from_seq), LEAST(w.to_seq, COALESCE(c.to_seq, ${MAX_SEQ})), w.depth + 1
           FROM windows w JOIN containment_log c ON c.child_id = w.asset_id
          WHERE c.from_seq <= w.to_seq AND COALESCE(c.to_seq, ${MAX_SEQ}) >= w.from_seq AND w.depth < ${MAX_NESTING}
       ), touched(root, seq) AS (
         SELECT w.root, a.seq FROM windows w JOIN event_assets a ON a.asset_id = w.asset_id AND a.seq BETWEEN w.from_seq AND w.to_seq
         UNION
         SELECT i.id, i.created_seq FROM custody_items i WHERE i.id = ANY($1::text[])
       )
       SELECT t.root, max(t.seq) AS horizon
         FROM touched t JOIN ledger_events e ON e.seq = t.seq
        WHERE e.actor = $2
           OR EXISTS (SELECT 1 FROM event_assets a JOIN shipments s ON s.id = a.asset_id
                       WHERE a.seq = t.seq AND a.asset_id LIKE 'shipment:%' AND (s.from_id = $2 OR s.to_id = $2))
        GROUP BY t.root`,
      [ids, me],
    );
    return new Map(rows.map((r) => [r.root, Number(r.horizon)]));
  }
}
