// The audit source on the database itself: raw SQL on one connection inside one transaction, so every
// table is read from the same snapshot while the ledger keeps running. Reads only.
import type { NodeRef } from '@pharmatrace/ledger-core';
import { toStoredBlock } from '@pharmatrace/ledger/sealing/block.store';
import { AuditSource, LedgerKeyRecord, nodeKey, SourceBlock, SourceEvent } from '../audit-source';
import { DatabaseAssetHeadReader, DatabasePackStateReader, DatabaseParticipantReader, DatabasePrescriptionReader, DatabaseRecallReader } from './database-state-readers';
import { rowsOf, type SqlRunner } from './sql-runner';

interface EventRow {
  seq: string;
  hash: string;
  event_id: string;
  type: string;
  actor: string;
  kid: string;
  at: string;
  body: string;
  sig: string;
}

interface LinkRow {
  seq: string;
  asset_id: string;
  prev: string | null;
}

type BlockRow = Parameters<typeof toStoredBlock>[0];

// The same text form of sealed_at that the sealer signed (see libs/ledger/src/sealing/block.store.ts).
const BLOCK_COLUMNS = `height, prev_header_hash, tree_size, root_hash, first_seq, last_seq,
  to_char(sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS sealed_at, header_hash, kid, sig`;
const LINK_FETCH = 5000;
const MAX_LEVEL = 62;
let cursorCounter = 0;

export class DatabaseAuditSource implements AuditSource {
  readonly description = 'database';
  readonly live = false;
  readonly pageSize = 2000;
  readonly participantState: DatabaseParticipantReader;
  readonly assetHeadState: DatabaseAssetHeadReader;
  readonly prescriptionState: DatabasePrescriptionReader;
  readonly packState: DatabasePackStateReader;
  readonly recallState: DatabaseRecallReader;
  // event_assets has no index by seq, so its rows are streamed once in seq order beside the events.
  private readonly linkCursor = `audit_links_${++cursorCounter}`;
  private linkCursorOpen = false;
  private linkBuffer: LinkRow[] = [];
  private linksExhausted = false;

  /** `db` must be inside a transaction (ideally REPEATABLE READ READ ONLY: see withDatabaseSnapshot). */
  constructor(private readonly db: SqlRunner) {
    this.participantState = new DatabaseParticipantReader(db);
    this.assetHeadState = new DatabaseAssetHeadReader(db);
    this.prescriptionState = new DatabasePrescriptionReader(db);
    this.packState = new DatabasePackStateReader(db);
    this.recallState = new DatabaseRecallReader(db);
  }

  async appendedCount(): Promise<number> {
    const rows = await rowsOf<{ last_seq: string }>(this.db, 'SELECT last_seq FROM ledger_counter WHERE id = 1');
    return rows[0] ? Number(rows[0].last_seq) : 0;
  }

  async events(afterSeq: number, limit: number): Promise<SourceEvent[]> {
    const rows = await rowsOf<EventRow>(
      this.db,
      `SELECT seq, hash, event_id, type, actor, kid, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, body, sig
         FROM ledger_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    if (rows.length === 0) return [];
    const links = await this.linksThrough(Number(rows[rows.length - 1].seq));
    return rows.map((r) => ({
      seq: Number(r.seq),
      hash: r.hash,
      sig: r.sig,
      body: r.body,
      columns: { eventId: r.event_id, type: r.type, actor: r.actor, kid: r.kid, at: r.at },
      links: links.get(Number(r.seq)) ?? [],
    }));
  }

  /** The event_assets rows up to `seq` not handed out yet, grouped by seq. */
  private async linksThrough(seq: number): Promise<Map<number, NonNullable<SourceEvent['links']>>> {
    if (!this.linkCursorOpen) {
      await this.db.query(`DECLARE ${this.linkCursor} NO SCROLL CURSOR FOR SELECT seq, asset_id, prev FROM event_assets ORDER BY seq, asset_id`);
      this.linkCursorOpen = true;
    }
    while (!this.linksExhausted && (this.linkBuffer.length === 0 || Number(this.linkBuffer[this.linkBuffer.length - 1].seq) <= seq)) {
      const batch = await rowsOf<LinkRow>(this.db, `FETCH ${LINK_FETCH} FROM ${this.linkCursor}`);
      if (batch.length < LINK_FETCH) this.linksExhausted = true;
      this.linkBuffer.push(...batch);
    }
    const grouped = new Map<number, NonNullable<SourceEvent['links']>>();
    let taken = 0;
    for (const row of this.linkBuffer) {
      const s = Number(row.seq);
      if (s > seq) break;
      taken++;
      const list = grouped.get(s) ?? [];
      list.push({ assetId: row.asset_id, prev: row.prev });
      grouped.set(s, list);
    }
    this.linkBuffer = this.linkBuffer.slice(taken);
    return grouped;
  }

  async blocks(afterHeight: number, limit: number): Promise<SourceBlock[]> {
    const rows = await rowsOf<BlockRow>(this.db, `SELECT ${BLOCK_COLUMNS} FROM ledger_blocks WHERE height > $1 ORDER BY height LIMIT $2`, [afterHeight, limit]);
    return rows.map(toStoredBlock);
  }

  async ledgerKeys(): Promise<LedgerKeyRecord[]> {
    const rows = await rowsOf<{ kid: string; public_key: string }>(this.db, 'SELECT kid, public_key FROM ledger_signing_keys ORDER BY kid');
    return rows.map((r) => ({ kid: r.kid, publicKey: r.public_key }));
  }

  async merkleNodes(refs: NodeRef[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    const chunk = 20_000;
    for (let i = 0; i < refs.length; i += chunk) {
      const part = refs.slice(i, i + chunk);
      const rows = await rowsOf<{ level: number; idx: string; hash: Buffer }>(
        this.db,
        `SELECT n.level, n.idx, n.hash FROM merkle_nodes n
           JOIN unnest($1::smallint[], $2::bigint[]) AS r(level, idx) ON n.level = r.level AND n.idx = r.idx`,
        [part.map((r) => r.level), part.map((r) => r.index)],
      );
      for (const r of rows) found.set(nodeKey(Number(r.level), Number(r.idx)), new Uint8Array(r.hash));
    }
    return found;
  }

  /** One index probe per level: nodes at level l outside a tree of n leaves have idx ≥ floor(n / 2^l). */
  async firstNodeBeyond(treeSize: number): Promise<NodeRef | null> {
    const levels = Array.from({ length: MAX_LEVEL + 1 }, (_, l) => l);
    const rows = await rowsOf<{ level: number; idx: string }>(
      this.db,
      `SELECT l.level, n.idx FROM unnest($1::smallint[], $2::bigint[]) AS l(level, min_idx)
         CROSS JOIN LATERAL (SELECT m.idx FROM merkle_nodes m WHERE m.level = l.level AND m.idx >= l.min_idx ORDER BY m.idx LIMIT 1) n
        ORDER BY l.level LIMIT 1`,
      [levels, levels.map((l) => Math.floor(treeSize / 2 ** l))],
    );
    const beyondLevels = await rowsOf<{ level: number; idx: string }>(this.db, 'SELECT level, idx FROM merkle_nodes WHERE level > $1 OR level < 0 LIMIT 1', [MAX_LEVEL]);
    const row = rows[0] ?? beyondLevels[0];
    return row ? { level: Number(row.level), index: Number(row.idx) } : null;
  }

  /** Closes the cursor so that several audits can run in one transaction (tests do). */
  async close(): Promise<void> {
    if (this.linkCursorOpen) await this.db.query(`CLOSE ${this.linkCursor}`);
    this.linkCursorOpen = false;
  }
}
