import { MigrationInterface, QueryRunner } from 'typeorm';

/** Temperature readings, the subjects waiting to be evaluated, and each item's latest evaluation. */
export class ColdChain1764000000000 implements MigrationInterface {
  name = 'ColdChain1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One row per reading. The key orders a subject's readings by time, which is how they are read;
      -- a logger re-sending a reading it already sent finds it here (same subject, instant and key).
      CREATE TABLE cold_chain_readings (
        subject text NOT NULL,
        taken_at timestamptz NOT NULL,
        logger_kid text NOT NULL,
        celsius double precision NOT NULL,
        upload_seq bigint NOT NULL REFERENCES ledger_events (seq) DEFERRABLE INITIALLY DEFERRED,
        PRIMARY KEY (subject, taken_at, logger_kid)
      );

      -- Subjects with readings not yet evaluated: written in the same transaction as the readings, so a
      -- lost queue job only delays an evaluation (the worker's timer sweeps this table), never skips it.
      CREATE TABLE cold_chain_pending (
        subject text PRIMARY KEY,
        through_seq bigint NOT NULL,
        claimed_until timestamptz
      );

      -- The latest verdict per item and product policy (a container holding two products has two).
      CREATE TABLE cold_chain_evaluations (
        subject text NOT NULL,
        gtin char(14) NOT NULL,
        window_from timestamptz,
        window_to timestamptz,
        readings integer NOT NULL,
        minutes_out_of_range double precision NOT NULL,
        worst_c double precision,
        mkt_c double precision,
        verdict text NOT NULL CHECK (verdict IN ('within_policy','broken','no_readings')),
        breaches text[] NOT NULL,
        reasons text[] NOT NULL,
        through_seq bigint NOT NULL,
        evaluated_at timestamptz NOT NULL,
        quarantine_hash char(64),
        PRIMARY KEY (subject, gtin)
      );

      -- "Which shipments did this item (or its container) travel in?" is how the evaluation finds them.
      CREATE INDEX IF NOT EXISTS shipments_items ON shipments USING gin (items);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS shipments_items; DROP TABLE cold_chain_evaluations; DROP TABLE cold_chain_pending; DROP TABLE cold_chain_readings;');
  }
}
