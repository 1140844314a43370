// Which ledger events a caller's EPCIS query or export returns: candidates by scope (one item and its containers,
// a batch, or the whole log), type (EQ_bizStep) and time, in seq order, then filtered by the one read rule
// (libs/access AccessPolicy: an item's horizon, or canSeeEvent per event). Bounded: at most SCAN_LIMIT candidates
// are read per request, keyset-paged by seq (docs/epcis.md).
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@pharmatrace/ledger-core';
import { AccessPolicy, NOTHING, Viewer } from '@pharmatrace/access';
import { DomainError } from '@pharmatrace/errors';
import { BIZSTEPS_OF_TYPE, EpcisEvent, EpcisMappingLookups, StoredLedgerEvent, toEpcisEvents, typesWithBizStep } from '@pharmatrace/epcis/export';

/** Most EPCIS events in one page or export (EPCIS REST perPage upper bound). */
export const MAX_PER_PAGE = 1000;
/** Most ledger events examined per request, visible or not; a page may end short with a next token. */
export const SCAN_LIMIT = 1000;

const MAX_SEQ = '9223372036854775807';

export type EpcisScope = { kind: 'all' } | { kind: 'item'; assetId: string } | { kind: 'batch'; batchId: string };

export interface EpcisSelection {
  scope: EpcisScope;
  /** A bare CBV 2.0 bizStep, or null for any. */
  bizStep: string | null;
  /** eventTime ≥ from and < to (UTC), each optional. */
  from: Date | null;
  to: Date | null;
  perPage: number;
  /** Keyset: only events with seq > afterSeq. */
  afterSeq: number;
}

export interface EpcisPage {
  events: EpcisEvent[];
  /** Where the next page starts (the last seq examined), or null when the log holds no more candidates. */
  nextAfterSeq: number | null;
}

interface Row {
  seq: string;
  hash: string;
  body: string;
}

export class EpcisEventSelection {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
  ) {}

  /**
   * One page of EPCIS events the viewer may see. An item the viewer may not see (or that does not exist) answers
   * UNKNOWN_ITEM when `strictItem` (export), an empty page otherwise (query: no match).
   */
  async page(viewer: Viewer, sel: EpcisSelection, strictItem = false): Promise<EpcisPage> {
    const types = sel.bizStep === null ? Object.keys(BIZSTEPS_OF_TYPE) : typesWithBizStep(sel.bizStep);
    let horizon: number | null = null;
    if (sel.scope.kind === 'item') {
      horizon = await this.access.horizon(viewer, sel.scope.assetId);
      const known: unknown[] = horizon === NOTHING ? [] : await this.dataSource.query('SELECT 1 FROM asset_heads WHERE asset_id = $1', [sel.scope.assetId]);
      if (known.length === 0) {
        if (strictItem) throw new DomainError('UNKNOWN_ITEM', `No item ${sel.scope.assetId} is on the ledger.`);
        return { events: [], nextAfterSeq: null };
      }
    }
    if (types.length === 0) return { events: [], nextAfterSeq: null };
    const rows = await this.candidates(sel, types, horizon);
    const visible: StoredLedgerEvent[] = [];
    let lastSeq = sel.afterSeq;
    let full = false;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (visible.length >= sel.perPage) {
        full = true;
        break;
      }
      lastSeq = seq;
      // The item's horizon was applied in SQL; otherwise the one per-event rule decides.
      if (horizon === null && !(await this.access.canSeeEvent(viewer, seq))) continue;
      visible.push({ seq, hash: r.hash.trim(), event: JSON.parse(r.body) as EventEnvelope });
    }
    const look = await this.lookups(visible);
    let events = toEpcisEvents(visible, look);
    if (sel.bizStep !== null) events = events.filter((e) => e.bizStep === sel.bizStep);
    const more = full || rows.length === SCAN_LIMIT;
    return { events, nextAfterSeq: more ? lastSeq : null };
  }

  private candidates(sel: EpcisSelection, types: string[], horizon: number | null): Promise<Row[]> {
    const params: unknown[] = [sel.afterSeq, types, sel.from?.toISOString() ?? null, sel.to?.toISOString() ?? null, SCAN_LIMIT];
    let cte = '';
    let scope = 'TRUE';
    if (sel.scope.kind !== 'all') {
      const item = sel.scope.kind === 'item';
      params.push(sel.scope.kind === 'item' ? sel.scope.assetId : sel.scope.batchId);
      // The items' own events, their containers' while they were inside (as item history reads them), and the
      // temperature readings uploaded for either in that window. A batch: all its packs, and the batch's own chain.
      const roots = item ? 'SELECT $6::text AS id' : 'SELECT id FROM custody_items WHERE batch_id = $6';
      cte = `WITH RECURSIVE windows(asset_id, from_seq, to_seq, depth) AS (
         SELECT r.id, 0::bigint, ${MAX_SEQ}::bigint, 0 FROM (${roots}) r
         UNION ALL
         SELECT c.parent_id, GREATEST(w.from_seq, c.from_seq), LEAST(w.to_seq, COALESCE(c.to_seq, ${MAX_SEQ})), w.depth + 1
           FROM windows w JOIN containment_log c ON c.child_id = w.asset_id
          WHERE c.from_seq <= w.to_seq AND COALESCE(c.to_seq, ${MAX_SEQ}) >= w.from_seq AND w.depth < 8
       ), touched AS (
         SELECT a.seq FROM windows w JOIN event_assets a ON a.asset_id = w.asset_id AND a.seq BETWEEN w.from_seq AND w.to_seq
         UNION SELECT r.upload_seq FROM windows w JOIN cold_chain_readings r ON r.subject = w.asset_id AND r.upload_seq BETWEEN w.from_seq AND w.to_seq
         UNION SELECT i.created_seq FROM custody_items i WHERE ${item ? 'i.id = $6' : 'i.batch_id = $6'}
         ${item ? '' : 'UNION SELECT a.seq FROM event_assets a WHERE a.asset_id = $6'}
       ) `;
      scope = 'e.seq IN (SELECT seq FROM touched)';
      if (item) {
        params.push(horizon);
        scope += ' AND e.seq <= $7';
      }
    }
    return this.dataSource.query(
      `${cte}SELECT e.seq, e.hash, e.body FROM ledger_events e
        WHERE e.seq > $1 AND e.type = ANY($2::text[])
          AND ($3::timestamptz IS NULL OR e.at >= $3) AND ($4::timestamptz IS NULL OR e.at < $4)
          AND ${scope}
        ORDER BY e.seq LIMIT $5`,
      params,
    );
  }

  /** GLNs of the signers and shipment parties, and the shipments the page's events cite. */
  private async lookups(stored: StoredLedgerEvent[]): Promise<EpcisMappingLookups> {
    const shipmentIds = [...new Set(stored.map((s) => (s.event.data as { shipment?: unknown }).shipment).filter((x): x is string => typeof x === 'string'))];
    const shipments: Array<{ id: string; from_id: string; to_id: string; items: string[] }> =
      shipmentIds.length === 0 ? [] : await this.dataSource.query('SELECT id, from_id, to_id, items FROM shipments WHERE id = ANY($1::text[])', [shipmentIds]);
    const ids = new Set<string>(stored.map((s) => s.event.actor));
    for (const s of stored) {
      const to = (s.event.data as { to?: unknown }).to;
      if (typeof to === 'string') ids.add(to);
    }
    for (const s of shipments) ids.add(s.from_id).add(s.to_id);
    const glns: Array<{ id: string; gln: string }> = await this.dataSource.query('SELECT id, gln FROM participants WHERE id = ANY($1::text[])', [[...ids]]);
    const glnById = new Map(glns.map((g) => [g.id, g.gln.trim()]));
    const byId = new Map(shipments.map((s) => [s.id, { fromId: s.from_id, toId: s.to_id, items: s.items }]));
    return { glnOf: (id) => glnById.get(id) ?? null, shipment: (id) => byId.get(id) ?? null };
  }
}
