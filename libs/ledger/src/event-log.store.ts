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

export const eventIdKey = (actor: string, id: string): string => `${actor}\u0000${id}`;

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

  /** For each (actor, event id) already in the log, the hash of the event that used it. */
  async hashesOfEventIds(m: EntityManager, ids: Array<{ actor: string; id: string }>): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ actor: string; event_id: string; hash: string }> = await m.query(
      `SELECT e.actor, e.event_id, e.hash FROM ledger_events e
         JOIN unnest($1::text[], $2::text[]) AS t(actor, event_id) ON e.actor = t.actor AND e.event_id = t.event_id`,
      [ids.map((i) => i.actor), ids.map((i) => i.id)],
    );
    return new Map(rows.map((r) => [eventIdKey(r.actor, r.event_id), r.hash]));
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

  /** The event row, its asset links, the new chain heads and the counter: one statement, one round trip. */
  async append(m: EntityManager, e: NewLogEntry): Promise<void> {
    await m.query(
      `WITH event AS (
         INSERT INTO ledger_events (seq, hash, event_id, type, actor, kid, at, body, sig, result)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ), links AS (
         INSERT INTO event_assets (asset_id, seq, prev)
         SELECT a, $1, p FROM unnest($11::text[], $12::char(64)[]) AS t(a, p)
       ), heads AS (
         INSERT INTO asset_heads (asset_id, head_hash, head_seq)
         SELECT a, $2, $1 FROM unnest($11::text[]) AS t(a)
         ON CONFLICT (asset_id) DO UPDATE SET head_hash = EXCLUDED.head_hash, head_seq = EXCLUDED.head_seq
       )
       UPDATE ledger_counter SET last_seq = $1 WHERE id = 1`,
      [
        e.seq,
        e.hash,
        e.eventId,
        e.type,
        e.actor,
        e.kid,
        e.at,
        e.body,
        e.sig,
        JSON.stringify(e.result),
        e.assets.map((a) => a.id),
        e.assets.map((a) => a.prev),
      ],
    );
  }

  /** Chains that start at event `seq` (bulk-created assets); the primary key refuses an existing one. */
  async createHeads(m: EntityManager, assetIds: string[], hash: string, seq: number): Promise<void> {
    await m.query('INSERT INTO asset_heads (asset_id, head_hash, head_seq) SELECT a, $2, $3 FROM unnest($1::text[]) AS t(a)', [assetIds, hash, seq]);
  }
}
