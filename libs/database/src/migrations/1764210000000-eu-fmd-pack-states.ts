import { MigrationInterface, QueryRunner } from 'typeorm';

const EXISTING = ['active', 'in_transit', 'consumed', 'dispensed', 'destroyed', 'recalled', 'quarantined', 'expired', 'stolen', 'lost'];
/** The EU FMD inactive states a pharmacy or wholesaler sets with a signed decommission (DESIGN.md "Pack states"). */
const EU_FMD = ['supplied', 'sample', 'free_sample', 'locked', 'exported'];

const list = (states: string[]): string => states.map((s) => `'${s}'`).join(',');

/**
 * Drops the CHECK constraint on custody_items.state, whatever it is called: the one the catalog-and-custody
 * migration declared inline on the column (PostgreSQL names it custody_items_state_check).
 */
const DROP_STATE_CHECK = `
  DO $$
  DECLARE c text;
  BEGIN
    FOR c IN
      SELECT con.conname FROM pg_constraint con
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
       WHERE con.conrelid = 'custody_items'::regclass AND con.contype = 'c' AND a.attname = 'state' AND array_length(con.conkey, 1) = 1
    LOOP
      EXECUTE format('ALTER TABLE custody_items DROP CONSTRAINT %I', c);
    END LOOP;
  END $$;`;

/** Custody items may also be in the EU FMD pack states supplied, sample, free sample, locked and exported. */
export class EuFmdPackStates1764210000000 implements MigrationInterface {
  name = 'EuFmdPackStates1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(DROP_STATE_CHECK);
    await q.query(`ALTER TABLE custody_items ADD CONSTRAINT custody_items_state_check CHECK (state IN (${list([...EXISTING, ...EU_FMD])}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ n }]: Array<{ n: number }> = await q.query(`SELECT count(*)::int AS n FROM custody_items WHERE state IN (${list(EU_FMD)})`);
    if (n > 0) throw new Error(`${n} custody items are in an EU FMD state (${EU_FMD.join(', ')}); the older schema cannot hold them.`);
    await q.query(DROP_STATE_CHECK);
    await q.query(`ALTER TABLE custody_items ADD CONSTRAINT custody_items_state_check CHECK (state IN (${list(EXISTING)}))`);
  }
}
