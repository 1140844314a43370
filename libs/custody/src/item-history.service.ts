// The history of any item: every event that touched it, plus every event on a container while the item
// was inside (at any depth), in order, each with its signature checked now and the block that sealed it.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventEnvelope, eventSigningMessage, fromBase64Url } from '@pharmatrace/ledger-core';
import { NodeCryptoVerifier } from '@pharmatrace/ledger-core/node-crypto-verifier';
import { DomainError } from '@pharmatrace/errors';

export interface HistoryEntry {
  seq: number;
  hash: string;
  type: string;
  at: string;
  actor: string;
  /** The asset the event touched: the item itself, or the container it sat in. */
  via: string;
  event: EventEnvelope;
  signature: 'valid' | 'invalid' | 'unknown-key';
  blockHeight: number | null;
}

interface Row {
  seq: string;
  hash: string;
  via: string;
  body: string;
  sig: string;
  kid: string;
  public_key: string | null;
  block_height: string | null;
}

const MAX_SEQ = '9223372036854775807';

@Injectable()
export class ItemHistoryService {
  private readonly verifier = new NodeCryptoVerifier();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Events up to `throughSeq` (a reader's horizon, see libs/access); -1 answers exactly like an item that
   * does not exist.
   */
  async history(assetId: string, throughSeq = Number.MAX_SAFE_INTEGER, limit = 1000): Promise<HistoryEntry[]> {
    const known: Array<{ ok: number }> = throughSeq < 0 ? [] : await this.dataSource.query('SELECT 1 AS ok FROM asset_heads WHERE asset_id = $1', [assetId]);
    if (known.length === 0) throw new DomainError('UNKNOWN_ITEM', `No item ${assetId} is on the ledger.`);
    const rows: Row[] = await this.dataSource.query(
      `WITH RECURSIVE windows(asset_id, from_seq, to_seq, depth) AS (
         SELECT $1::text, 0::bigint, ${MAX_SEQ}::bigint, 0
         UNION ALL
         SELECT c.parent_id, GREATEST(w.from_seq, c.from_seq), LEAST(w.to_seq, COALESCE(c.to_seq, ${MAX_SEQ})), w.depth + 1
           FROM windows w JOIN containment_log c ON c.child_id = w.asset_id
          WHERE c.from_seq <= w.to_seq AND COALESCE(c.to_seq, ${MAX_SEQ}) >= w.from_seq AND w.depth < 8
       ), touched AS (
         SELECT a.seq, w.asset_id AS via FROM windows w JOIN event_assets a ON a.asset_id = w.asset_id AND a.seq BETWEEN w.from_seq AND w.to_seq
         UNION
         SELECT i.created_seq, i.id FROM custody_items i WHERE i.id = $1
       ), firsts AS (
         SELECT DISTINCT ON (seq) seq, via FROM touched ORDER BY seq, (via = $1) DESC
       )
       SELECT e.seq, e.hash, f.via, e.body, e.sig, e.kid, COALESCE(k.public_key, l.public_key) AS public_key, b.height AS block_height
         FROM firsts f
         JOIN ledger_events e ON e.seq = f.seq
         LEFT JOIN participant_keys k ON k.kid = e.kid
         LEFT JOIN ledger_signing_keys l ON l.kid = e.kid
         LEFT JOIN ledger_blocks b ON e.seq BETWEEN b.first_seq AND b.last_seq
        WHERE e.seq <= $3
        ORDER BY e.seq LIMIT $2`,
      [assetId, limit, throughSeq],
    );
    return rows.map((r) => {
      const event = JSON.parse(r.body) as EventEnvelope;
      let signature: HistoryEntry['signature'] = 'unknown-key';
      if (r.public_key) {
        signature = this.verifier.verify(fromBase64Url(r.sig), eventSigningMessage(r.hash), fromBase64Url(r.public_key)) ? 'valid' : 'invalid';
      }
      return {
        seq: Number(r.seq),
        hash: r.hash,
        type: event.type,
        at: event.at,
        actor: event.actor,
        via: r.via,
        event,
        signature,
        blockHeight: r.block_height === null ? null : Number(r.block_height),
      };
    });
  }
}
