import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sealed blocks (signed, hash-chained tree heads), the stored Merkle nodes, and the ledger's own keys. */
export class BlocksAndMerkleNodes1763800000000 implements MigrationInterface {
  name = 'BlocksAndMerkleNodes1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_signing_keys (
        kid text PRIMARY KEY,
        public_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE ledger_blocks (
        height bigint PRIMARY KEY CHECK (height >= 1),
        prev_header_hash char(64),
        tree_size bigint NOT NULL,
        root_hash char(64) NOT NULL,
        first_seq bigint NOT NULL,
        last_seq bigint NOT NULL UNIQUE,
        sealed_at timestamptz NOT NULL,
        header_hash char(64) NOT NULL UNIQUE,
        kid text NOT NULL REFERENCES ledger_signing_keys (kid),
        sig text NOT NULL,
        CHECK (last_seq >= first_seq),
        CHECK ((height = 1) = (prev_header_hash IS NULL))
      );

      -- Perfect subtrees of the one global RFC 6962 tree: level 0 holds leaf hashes (index = seq - 1).
      CREATE TABLE merkle_nodes (
        level smallint NOT NULL,
        idx bigint NOT NULL,
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        PRIMARY KEY (level, idx)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE merkle_nodes; DROP TABLE ledger_blocks; DROP TABLE ledger_signing_keys;');
  }
}
