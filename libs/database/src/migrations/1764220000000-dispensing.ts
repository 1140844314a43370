import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispensing and the other EU FMD decommissions (libs/dispensing): which event decommissioned which packs,
 * who signed it, against which prescription and when it was accepted — what an undo needs to find what
 * it undoes and whether its window is still open. A pack is undone at most once per decommission.
 */
export class Dispensing1764220000000 implements MigrationInterface {
  name = 'Dispensing1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE decommissions (
        event_hash char(64) PRIMARY KEY,
        seq bigint NOT NULL UNIQUE,
        participant_id text NOT NULL REFERENCES participants (id),
        kind text NOT NULL CHECK (kind IN ('supplied','sample','free_sample','locked','exported')),
        prescription_id text REFERENCES prescriptions (id),
        at timestamptz NOT NULL,
        CHECK ((kind = 'supplied') = (prescription_id IS NOT NULL))
      );
      CREATE TABLE decommissioned_packs (
        event_hash char(64) NOT NULL REFERENCES decommissions (event_hash),
        pack_id text NOT NULL REFERENCES custody_items (id),
        undone_seq bigint,
        PRIMARY KEY (event_hash, pack_id)
      );
      CREATE INDEX decommissioned_packs_pack ON decommissioned_packs (pack_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE decommissioned_packs; DROP TABLE decommissions;');
  }
}
