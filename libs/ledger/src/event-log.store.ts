// SQL for the append-only event log and the per-item chain heads. Used inside the pipeline's transaction.
import { EntityManager } from 'typeorm';
import { AssetRef } from '@pharmatrace/ledger-core';
import { EventResult } from './event-rule';

export interface StoredReceipt {
  seq: number;
  hash: string;
  eventId: string;
  type: string;
  result: EventResult;
}

interface ReceiptRow {
  seq: string;
  hash: string;
  event_id: string;
  type: string;
  result: EventResult;
}

const toReceipt = (r: ReceiptRow): StoredReceipt => ({
  seq: Number(r.seq),
  hash: r.hash,
  eventId: r.event_id,
  type: r.type,
  result: r.result,
});

export interface NewLogEntry {
  seq: number;
  hash: string;
  eventId: string;
  type: string;
  actor: string;
  kid: string;
  at: string;
  body: string;
  sig: string;
  result: EventResult;
  assets: AssetRef[];
}

export class EventLogStore {
  async findByHashes(m: EntityManager, hashes: string[]): Promise<Map<string, StoredReceipt>> {
    if (hashes.length === 0) return new Map();
    const rows: ReceiptRow[] = await m.query(
      'SELECT seq, hash, event_id, type, result FROM ledger_events WHERE hash = ANY($1::char(64)[])',
      [hashes],
    );
    return new Map(rows.map((r) => [r.hash, toReceipt(r)]));
  }

  async hashOfEventId(m: EntityManager, actor: string, eventId: string): Promise<string | null> {
    const rows: Array<{ hash: string }> = await m.query(
      'SELECT hash FROM ledger_events WHERE actor = $1 AND event_id = $2',
      [actor, eventId],
    );
    return rows[0]?.hash ?? null;
  }

  /** Serialises every append: the counter row is the log's single writer lock. */
  async lockLog(m: EntityManager): Promise<number> {
    const rows: Array<{ last_seq: string }> = await m.query('SELECT last_seq FROM ledger_counter WHERE id = 1 FOR UPDATE');
    return Number(rows[0].last_seq);
  }

  async heads(m: EntityManager, assetIds: string[]): Promise<Map<string, string>> {
    if (assetIds.length === 0) return new Map();
    const rows: Array<{ asset_id: string; head_hash: string }> = await m.query(
      'SELECT asset_id, head_hash FROM asset_heads WHERE asset_id = ANY($1::text[])',
      [assetIds],
    );
    return new Map(rows.map((r) => [r.asset_id, r.head_hash]));
  }

  async append(m: EntityManager, e: NewLogEntry): Promise<void> {
    await m.query(
      `INSERT INTO ledger_events (seq, hash, event_id, type, actor, kid, at, body, sig, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [e.seq, e.hash, e.eventId, e.type, e.actor, e.kid, e.at, e.body, e.sig, JSON.stringify(e.result)],
    );
    if (e.assets.length > 0) {
      await m.query(
        `INSERT INTO event_assets (asset_id, seq, prev)
         SELECT a, $2, p FROM unnest($1::text[], $3::char(64)[]) AS t(a, p)`,
        [e.assets.map((a) => a.id), e.seq, e.assets.map((a) => a.prev)],
      );
      await m.query(
        `INSERT INTO asset_heads (asset_id, head_hash, head_seq)
         SELECT a, $2, $3 FROM unnest($1::text[]) AS t(a)
         ON CONFLICT (asset_id) DO UPDATE SET head_hash = EXCLUDED.head_hash, head_seq = EXCLUDED.head_seq`,
        [e.assets.map((a) => a.id), e.hash, e.seq],
      );
    }
    await m.query('UPDATE ledger_counter SET last_seq = $1 WHERE id = 1', [e.seq]);
  }
}
