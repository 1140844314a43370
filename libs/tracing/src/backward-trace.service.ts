// Backward trace (DSCSA product tracing; DESIGN.md "Recalls and tracing"): from one pack to its batch and
// manufacturer, the ingredient lots its batch consumed with their suppliers and certificates of origin,
// every custodian it passed through (its own shipments and those of each container while it was inside,
// per containment_log), and the temperature verdicts on it and its containers.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { parsePackScan } from '@pharmatrace/gs1';
import {
  BackwardTrace, CertificateOfOrigin, CustodyPeriod, MAX_BACKWARD_INGREDIENT_LOTS, MAX_BACKWARD_SHIPMENTS, MAX_BACKWARD_VERDICTS, TracedBatch, TracedIngredientLot,
  TracedPackShipment, TracedVerdict,
} from './trace-views';

const MAX_SEQ = '9223372036854775807';
const MAX_NESTING = 8;

/** How much of the pack's story the caller may read: its horizon (libs/access) and whether it sees the present. */
export interface BackwardTraceScope {
  /** Events with seq ≤ throughSeq are visible; a negative value answers UNKNOWN_ITEM, as for a missing pack. */
  throughSeq: number;
  /** Current state and temperature verdicts (docs/access-model.md: while it holds the pack, or regulators). */
  currentState: boolean;
}

/**
 * The pack asset id of `sgtin:<GTIN-14>.<serial>` or of a GS1 scan (element string with or without a
 * symbology identifier, or a Digital Link URI). INVALID_SCAN / INVALID_GTIN / INVALID_SERIAL otherwise.
 */
export function packIdOf(input: string): string {
  if (/^sgtin:\d{14}\..+$/.test(input)) return input;
  const scan = parsePackScan(input);
  if (!scan.ok) throw new DomainError(scan.code, scan.message);
  return packAssetId(scan.pack.gtin, scan.pack.serial);
}

interface PackRow {
  id: string;
  state: string;
  created_seq: string;
  batch_id: string;
  gtin: string;
  lot: string;
  product_name: string;
  manufactured_on: string;
  expires_on: string;
  manufacturer_id: string;
  manufacturer_name: string;
  manufacturer_gln: string;
}

interface ShipmentRow {
  id: string;
  from_id: string;
  to_id: string;
  state: string;
  shipped_seq: string;
  closed_seq: string | null;
  shipped_at: Date;
  closed_at: Date | null;
  via: string;
}

interface IngredientRow {
  id: string;
  details: { material?: string; certificate?: CertificateOfOrigin } | null;
  supplier_id: string | null;
  supplier_name: string | null;
  supplier_gln: string | null;
}

/** The pack and each container it sat in, with the sequence window it sat there (as ItemHistoryService). */
const WINDOWS_CTE = `WITH RECURSIVE windows(asset_id, from_seq, to_seq, depth) AS (
    SELECT $1::text, 0::bigint, ${MAX_SEQ}::bigint, 0
    UNION ALL
    SELECT c.parent_id, GREATEST(w.from_seq, c.from_seq), LEAST(w.to_seq, COALESCE(c.to_seq, ${MAX_SEQ})), w.depth + 1
      FROM windows w JOIN containment_log c ON c.child_id = w.asset_id
     WHERE c.from_seq <= w.to_seq AND COALESCE(c.to_seq, ${MAX_SEQ}) >= w.from_seq AND w.depth < ${MAX_NESTING}
  )`;

const iso = (d: Date): string => new Date(d).toISOString();

@Injectable()
export class BackwardTraceService {
  constructor(private readonly dataSource: DataSource) {}

  /** Where `packId` came from, within `scope`. UNKNOWN_ITEM for a pack that is not registered or not visible. */
  async trace(packId: string, scope: BackwardTraceScope): Promise<BackwardTrace> {
    const m = this.dataSource.manager;
    const unknown = new DomainError('UNKNOWN_ITEM', `No item ${packId} is registered.`, { item: packId });
    if (scope.throughSeq < 0) throw unknown;
    const [pack]: PackRow[] = await m.query(
      `SELECT i.id, i.state, i.created_seq, b.id AS batch_id, b.gtin, b.lot, pr.name AS product_name,
              to_char(b.manufactured_on, 'YYYY-MM-DD') AS manufactured_on, to_char(b.expires_on, 'YYYY-MM-DD') AS expires_on,
              b.manufacturer_id, mp.legal_name AS manufacturer_name, mp.gln AS manufacturer_gln
         FROM custody_items i JOIN batches b ON b.id = i.batch_id JOIN products pr ON pr.gtin = b.gtin
         JOIN participants mp ON mp.id = b.manufacturer_id
        WHERE i.id = $1 AND i.kind = 'pack'`,
      [packId],
    );
    if (!pack) throw unknown;
    const [lots, shipped, custodians0, latest] = await Promise.all([
      this.ingredientLots(m, pack.batch_id),
      this.shipments(m, packId, scope.throughSeq),
      this.commissioning(m, pack),
      scope.currentState ? this.verdicts(m, packId, pack.gtin) : Promise.resolve([]),
    ]);
    // Each list is read one past its cap, so that `truncated` knows more exist.
    const ingredientLots = lots.slice(0, MAX_BACKWARD_INGREDIENT_LOTS);
    const shipments = shipped.slice(0, MAX_BACKWARD_SHIPMENTS);
    const verdicts = latest.slice(0, MAX_BACKWARD_VERDICTS).reverse();
    const truncated = lots.length > ingredientLots.length || shipped.length > shipments.length || latest.length > verdicts.length;
    const custodians = await this.named(m, custodyPeriods(custodians0, shipments));
    const batch: TracedBatch = {
      id: pack.batch_id,
      gtin: pack.gtin,
      lot: pack.lot,
      productName: pack.product_name,
      manufacturedOn: pack.manufactured_on,
      expiresOn: pack.expires_on,
      manufacturerId: pack.manufacturer_id,
      manufacturerName: pack.manufacturer_name,
      manufacturerGln: pack.manufacturer_gln,
    };
    return { packId, state: scope.currentState ? pack.state : null, batch, ingredientLots, custodians, shipments, temperatureVerdicts: verdicts, truncated };
  }

  private async ingredientLots(m: EntityManager, batchId: string): Promise<TracedIngredientLot[]> {
    const rows: IngredientRow[] = await m.query(
      `SELECT bi.ingredient_lot_id AS id, il.details, e.actor AS supplier_id, p.legal_name AS supplier_name, p.gln AS supplier_gln
         FROM batch_ingredients bi
         LEFT JOIN custody_items il ON il.id = bi.ingredient_lot_id
         LEFT JOIN ledger_events e ON e.seq = il.created_seq
         LEFT JOIN participants p ON p.id = e.actor
        WHERE bi.batch_id = $1 ORDER BY bi.ingredient_lot_id LIMIT $2`,
      [batchId, MAX_BACKWARD_INGREDIENT_LOTS + 1],
    );
    return rows.map((r) => ({
      id: r.id,
      material: r.details?.material ?? '',
      supplierId: r.supplier_id ?? '',
      supplierName: r.supplier_name ?? '',
      supplierGln: r.supplier_gln ?? '',
      certificate: r.details?.certificate ?? null,
    }));
  }

  /** Shipments of the pack, or of a container while the pack was inside, shipped within the horizon: the first MAX_BACKWARD_SHIPMENTS + 1. */
  private async shipments(m: EntityManager, packId: string, throughSeq: number): Promise<TracedPackShipment[]> {
    const rows: ShipmentRow[] = await m.query(
      `${WINDOWS_CTE}
       SELECT s.id, s.from_id, s.to_id, s.state, s.shipped_seq, s.closed_seq, se.at AS shipped_at, ce.at AS closed_at, w.asset_id AS via
         FROM windows w
         JOIN shipments s ON s.items @> ARRAY[w.asset_id] AND s.shipped_seq BETWEEN w.from_seq AND w.to_seq
         JOIN ledger_events se ON se.seq = s.shipped_seq
         LEFT JOIN ledger_events ce ON ce.seq = s.closed_seq
        WHERE s.shipped_seq <= $2
        ORDER BY s.shipped_seq, s.id LIMIT $3`,
      [packId, throughSeq, MAX_BACKWARD_SHIPMENTS + 1],
    );
    return rows.map((r) => {
      // A closing event beyond the caller's horizon is not shown: to it the shipment is still on its way.
      const closedVisible = r.closed_seq !== null && Number(r.closed_seq) <= throughSeq;
      return {
        id: r.id,
        fromId: r.from_id,
        toId: r.to_id,
        state: closedVisible ? r.state : 'in_transit',
        shippedAt: iso(r.shipped_at),
        closedAt: closedVisible && r.closed_at ? iso(r.closed_at) : null,
        via: r.via,
      };
    });
  }

  private async commissioning(m: EntityManager, pack: PackRow): Promise<{ participantId: string; at: string }> {
    const [e]: Array<{ actor: string; at: Date }> = await m.query('SELECT actor, at FROM ledger_events WHERE seq = $1', [pack.created_seq]);
    return { participantId: e?.actor ?? pack.manufacturer_id, at: e ? iso(e.at) : '' };
  }

  /**
   * The latest verdicts on the pack and on every container it sat in, for its product (cold_chain_evaluations),
   * newest first, MAX_BACKWARD_VERDICTS + 1 of them.
   * Verdicts are kept per item: an item's verdict already judges the readings of the shipments it travelled
   * in (the cold chain's window sources), so shipments have none of their own.
   */
  private async verdicts(m: EntityManager, packId: string, gtin: string): Promise<TracedVerdict[]> {
    const rows: Array<{ subject: string; verdict: string; minutes_out_of_range: number; worst_c: number | null; mkt_c: number | null; evaluated_at: Date }> = await m.query(
      `${WINDOWS_CTE}
       SELECT e.subject, e.verdict, e.minutes_out_of_range, e.worst_c, e.mkt_c, e.evaluated_at
         FROM cold_chain_evaluations e WHERE e.subject IN (SELECT asset_id FROM windows) AND e.gtin = $2
        ORDER BY e.evaluated_at DESC, e.subject DESC LIMIT $3`,
      [packId, gtin, MAX_BACKWARD_VERDICTS + 1],
    );
    return rows.map((r) => ({
      subject: r.subject,
      verdict: r.verdict,
      minutesOutOfRange: Number(r.minutes_out_of_range),
      worstC: r.worst_c === null ? null : Number(r.worst_c),
      mktC: r.mkt_c === null ? null : Number(r.mkt_c),
      evaluatedAt: iso(r.evaluated_at),
    }));
  }

  private async named(m: EntityManager, periods: Array<Omit<CustodyPeriod, 'name' | 'gln'>>): Promise<CustodyPeriod[]> {
    const ids = [...new Set(periods.map((p) => p.participantId))];
    const rows: Array<{ id: string; legal_name: string; gln: string }> = await m.query('SELECT id, legal_name, gln FROM participants WHERE id = ANY($1::text[])', [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return periods.map((p) => ({ ...p, name: byId.get(p.participantId)?.legal_name ?? '', gln: byId.get(p.participantId)?.gln ?? '' }));
  }
}

/**
 * Custody periods from the commissioning and the shipments in order: a received shipment ends the
 * sender's period (at shipping) and starts the recipient's (at receipt); a refused or voided one leaves
 * the goods with the sender; one still in transit ends the sender's period at shipping.
 */
export function custodyPeriods(
  commissioning: { participantId: string; at: string },
  shipments: TracedPackShipment[],
): Array<Omit<CustodyPeriod, 'name' | 'gln'>> {
  const periods: Array<Omit<CustodyPeriod, 'name' | 'gln'>> = [{ participantId: commissioning.participantId, since: commissioning.at, until: null, arrivedBy: null }];
  for (const s of shipments) {
    const current = periods[periods.length - 1];
    if (s.state === 'received' && s.closedAt) {
      current.until = s.shippedAt;
      periods.push({ participantId: s.toId, since: s.closedAt, until: null, arrivedBy: s.id });
    } else if (s.state === 'in_transit') {
      current.until = s.shippedAt;
    }
  }
  return periods;
}
