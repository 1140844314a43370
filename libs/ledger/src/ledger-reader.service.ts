import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventResult } from './event-rule';

export interface LoggedEvent {
  seq: number;
  hash: string;
  type: string;
  event: EventEnvelope;
  sig: string;
  result: EventResult;
  receivedAt: Date;
}

interface Row {
  seq: string;
  hash: string;
  body: string;
  sig: string;
  result: EventResult;
  received_at: Date;
}

const toLogged = (r: Row): LoggedEvent => {
  const event = JSON.parse(r.body) as EventEnvelope;
  return {
    seq: Number(r.seq),
    hash: r.hash,
    type: event.type,
    event,
    sig: r.sig,
    result: r.result,
    receivedAt: r.received_at,
  };
};

/** Read side of the event log: an event by hash, and the events that touched an asset. */
@Injectable()
export class LedgerReader {
  constructor(private readonly dataSource: DataSource) {}

  async byHash(hash: string): Promise<LoggedEvent | null> {
    const rows: Row[] = await this.dataSource.query(
      'SELECT seq, hash, body, sig, result, received_at FROM ledger_events WHERE hash = $1',
      [hash],
    );
    return rows[0] ? toLogged(rows[0]) : null;
  }

  /** The log in sequence order, after a given sequence number (for audit views and exports). */
  async page(afterSeq: number, limit: number, type?: string): Promise<LoggedEvent[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT seq, hash, body, sig, result, received_at FROM ledger_events
        WHERE seq > $1 AND ($3::text IS NULL OR type = $3) ORDER BY seq LIMIT $2`,
      [afterSeq, limit, type ?? null],
    );
    return rows.map(toLogged);
  }

  async assetHistory(assetId: string, limit = 500): Promise<LoggedEvent[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT e.seq, e.hash, e.body, e.sig, e.result, e.received_at
         FROM event_assets a JOIN ledger_events e ON e.seq = a.seq
        WHERE a.asset_id = $1 ORDER BY a.seq LIMIT $2`,
      [assetId, limit],
    );
    return rows.map(toLogged);
  }

  async head(assetId: string): Promise<string | null> {
    const rows: Array<{ head_hash: string }> = await this.dataSource.query('SELECT head_hash FROM asset_heads WHERE asset_id = $1', [assetId]);
    return rows[0]?.head_hash ?? null;
  }

  /** Current heads of many assets at once (absent: no event touched it yet). */
  async heads(assetIds: string[]): Promise<Map<string, string>> {
    const rows: Array<{ asset_id: string; head_hash: string }> = await this.dataSource.query(
      'SELECT asset_id, head_hash FROM asset_heads WHERE asset_id = ANY($1::text[])',
      [assetIds],
    );
    return new Map(rows.map((r) => [r.asset_id, r.head_hash]));
  }

  /** Current heads with the sequence number of the head event (for read-access checks). */
  async headEntries(assetIds: string[]): Promise<Map<string, { hash: string; seq: number }>> {
    const rows: Array<{ asset_id: string; head_hash: string; head_seq: string }> = await this.dataSource.query(
      'SELECT asset_id, head_hash, head_seq FROM asset_heads WHERE asset_id = ANY($1::text[])',
      [assetIds],
    );
    return new Map(rows.map((r) => [r.asset_id, { hash: r.head_hash, seq: Number(r.head_seq) }]));
  }

  async lastSeq(): Promise<number> {
    const rows: Array<{ last_seq: string }> = await this.dataSource.query('SELECT last_seq FROM ledger_counter WHERE id = 1');
    return Number(rows[0].last_seq);
  }
}
