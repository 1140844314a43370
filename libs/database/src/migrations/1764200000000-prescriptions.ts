import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Prescriptions (docs/prescriptions.md): a patient appears only as the prescriber's pseudonym (64 hex
 * characters), never by name or national id. `remaining` counts the packs still allowed over every fill
 * (quantity × (1 + refills) at issue); `expired` is not stored but read from valid_until.
 */
export class Prescriptions1764200000000 implements MigrationInterface {
  name = 'Prescriptions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE prescriptions (
        id text PRIMARY KEY,
        prescriber_id text NOT NULL REFERENCES participants (id),
        patient_pseudonym char(64) NOT NULL CHECK (patient_pseudonym ~ '^[0-9a-f]{64}$'),
        product jsonb NOT NULL,
        quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 100),
        refills integer NOT NULL CHECK (refills BETWEEN 0 AND 11),
        remaining integer NOT NULL CHECK (remaining BETWEEN 0 AND quantity * (1 + refills)),
        valid_from date NOT NULL,
        valid_until date NOT NULL,
        controlled_class text NOT NULL CHECK (controlled_class IN ('none','II','III','IV','V')),
        state text NOT NULL CHECK (state IN ('active','cancelled','exhausted')),
        issued_seq bigint NOT NULL,
        updated_seq bigint NOT NULL,
        CHECK (valid_until >= valid_from)
      );
      CREATE INDEX prescriptions_prescriber ON prescriptions (prescriber_id, issued_seq);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE prescriptions;');
  }
}
