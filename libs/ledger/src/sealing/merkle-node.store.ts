// Stored perfect subtrees of the global tree. A proof or a frontier needs O(log n) of them, fetched
// in one query; nothing is ever recomputed over all leaves.
import { EntityManager } from 'typeorm';
import { NodeRef, PerfectNode } from '@pharmatrace/ledger-core';

const key = (level: number, index: number) => `${level}:${index}`;

export class MerkleNodeStore {
  async insert(m: EntityManager, nodes: PerfectNode[]): Promise<void> {
    const chunk = 20_000;
    for (let i = 0; i < nodes.length; i += chunk) {
      const part = nodes.slice(i, i + chunk);
      await m.query('INSERT INTO merkle_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [
        part.map((n) => n.level),
        part.map((n) => n.index),
        part.map((n) => Buffer.from(n.hash)),
      ]);
    }
  }

  /** Fetches the given nodes; throws if one is missing (the tree is incomplete: an audit matter). */
  async fetch(m: EntityManager, refs: NodeRef[]): Promise<(level: number, index: number) => Uint8Array> {
    const found = new Map<string, Uint8Array>();
    if (refs.length > 0) {
      const rows: Array<{ level: number; idx: string; hash: Buffer }> = await m.query(
        'SELECT n.level, n.idx, n.hash FROM merkle_nodes n JOIN unnest($1::smallint[], $2::bigint[]) AS r(level, idx) ON n.level = r.level AND n.idx = r.idx',
        [refs.map((r) => r.level), refs.map((r) => r.index)],
      );
      for (const r of rows) found.set(key(r.level, Number(r.idx)), new Uint8Array(r.hash));
    }
    return (level, index) => {
      const hash = found.get(key(level, index));
      if (!hash) throw new Error(`Merkle node (level ${level}, index ${index}) is missing from storage.`);
      return hash;
    };
  }
}
