// SQL for sealed blocks. A block row holds exactly the signed header, so it can be re-verified as stored.
import { EntityManager } from 'typeorm';
import { BlockHeader, SignedBlockHeader } from '@pharmatrace/ledger-core';

export interface StoredBlock extends SignedBlockHeader {
  headerHash: string;
}

interface BlockRow {
  height: string;
  prev_header_hash: string | null;
  tree_size: string;
  root_hash: string;
  first_seq: string;
  last_seq: string;
  sealed_at: string;
  header_hash: string;
  kid: string;
  sig: string;
}

const COLUMNS = `height, prev_header_hash, tree_size, root_hash, first_seq, last_seq,
  to_char(sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS sealed_at, header_hash, kid, sig`;

export function toStoredBlock(r: BlockRow): StoredBlock {
  const header: BlockHeader = {
    height: Number(r.height),
    prevHeaderHash: r.prev_header_hash,
    treeSize: Number(r.tree_size),
    rootHash: r.root_hash,
    firstSeq: Number(r.first_seq),
    lastSeq: Number(r.last_seq),
    sealedAt: r.sealed_at,
  };
  return { header, kid: r.kid, sig: r.sig, headerHash: r.header_hash };
}

export class BlockStore {
  async latest(m: EntityManager): Promise<StoredBlock | null> {
    const rows: BlockRow[] = await m.query(`SELECT ${COLUMNS} FROM ledger_blocks ORDER BY height DESC LIMIT 1`);
    return rows[0] ? toStoredBlock(rows[0]) : null;
  }

  async byHeight(m: EntityManager, height: number): Promise<StoredBlock | null> {
    const rows: BlockRow[] = await m.query(`SELECT ${COLUMNS} FROM ledger_blocks WHERE height = $1`, [height]);
    return rows[0] ? toStoredBlock(rows[0]) : null;
  }

  /** The block that seals event `seq`, or null while it is not sealed yet. */
  async containing(m: EntityManager, seq: number): Promise<StoredBlock | null> {
    const rows: BlockRow[] = await m.query(`SELECT ${COLUMNS} FROM ledger_blocks WHERE first_seq <= $1 AND last_seq >= $1`, [seq]);
    return rows[0] ? toStoredBlock(rows[0]) : null;
  }

  /** Blocks in ascending height from `afterHeight`, at most `limit`. */
  async page(m: EntityManager, afterHeight: number, limit: number): Promise<StoredBlock[]> {
    const rows: BlockRow[] = await m.query(`SELECT ${COLUMNS} FROM ledger_blocks WHERE height > $1 ORDER BY height LIMIT $2`, [afterHeight, limit]);
    return rows.map(toStoredBlock);
  }

  async insert(m: EntityManager, b: StoredBlock): Promise<void> {
    const h = b.header;
    await m.query(
      `INSERT INTO ledger_blocks (height, prev_header_hash, tree_size, root_hash, first_seq, last_seq, sealed_at, header_hash, kid, sig)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [h.height, h.prevHeaderHash, h.treeSize, h.rootHash, h.firstSeq, h.lastSeq, h.sealedAt, b.headerHash, b.kid, b.sig],
    );
  }
}
