import { MigrationInterface, QueryRunner } from 'typeorm';

/** Products, batches, ingredient lots, serialised packs and logistic units, containment and shipments. */
export class CatalogAndCustody1763900000000 implements MigrationInterface {
  name = 'CatalogAndCustody1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE products (
        gtin char(14) PRIMARY KEY,
        manufacturer_id text NOT NULL REFERENCES participants (id),
        name text NOT NULL,
        active_ingredient text NOT NULL,
        strength text NOT NULL,
        form text NOT NULL,
        storage_min_c numeric(5,2) NOT NULL,
        storage_max_c numeric(5,2) NOT NULL,
        max_minutes_out_of_range integer NOT NULL,
        max_mkt_c numeric(5,2),
        controlled_class text NOT NULL,
        registered_seq bigint NOT NULL
      );

      CREATE TABLE batches (
        id text PRIMARY KEY,
        gtin char(14) NOT NULL REFERENCES products (gtin),
        lot text NOT NULL,
        manufacturer_id text NOT NULL REFERENCES participants (id),
        manufactured_on date NOT NULL,
        expires_on date NOT NULL,
        quantity integer NOT NULL,
        commissioned integer NOT NULL DEFAULT 0,
        registered_seq bigint NOT NULL,
        UNIQUE (gtin, lot),
        CHECK (commissioned <= quantity)
      );

      CREATE TABLE batch_ingredients (
        batch_id text NOT NULL REFERENCES batches (id),
        ingredient_lot_id text NOT NULL,
        PRIMARY KEY (batch_id, ingredient_lot_id)
      );

      -- Every physical thing in custody: ingredient lots, packs, cases and pallets. A pack's custodian
      -- and transit are those of its outermost container (parent_id chain); its own row keeps the rest.
      CREATE TABLE custody_items (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('ingredient_lot','pack','case','pallet')),
        gtin char(14),
        serial text,
        batch_id text REFERENCES batches (id),
        sscc char(18),
        parent_id text REFERENCES custody_items (id),
        custodian_id text NOT NULL REFERENCES participants (id),
        state text NOT NULL CHECK (state IN ('active','in_transit','consumed','dispensed','destroyed','recalled','quarantined','expired','stolen','lost')),
        state_reason text,
        shipment_id text,
        details jsonb,
        created_seq bigint NOT NULL,
        updated_seq bigint NOT NULL
      );
      CREATE INDEX custody_items_parent ON custody_items (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX custody_items_batch ON custody_items (batch_id) WHERE batch_id IS NOT NULL;
      CREATE INDEX custody_items_custodian ON custody_items (custodian_id, state);

      -- When each item sat in which container: a container's events are part of its contents' history.
      CREATE TABLE containment_log (
        child_id text NOT NULL REFERENCES custody_items (id),
        parent_id text NOT NULL REFERENCES custody_items (id),
        from_seq bigint NOT NULL,
        to_seq bigint,
        PRIMARY KEY (child_id, from_seq)
      );
      CREATE INDEX containment_log_parent ON containment_log (parent_id);

      CREATE TABLE shipments (
        id text PRIMARY KEY,
        from_id text NOT NULL REFERENCES participants (id),
        to_id text NOT NULL REFERENCES participants (id),
        state text NOT NULL CHECK (state IN ('in_transit','received','refused')),
        items text[] NOT NULL,
        shipped_seq bigint NOT NULL,
        closed_seq bigint
      );
      CREATE INDEX shipments_to ON shipments (to_id, state);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE shipments; DROP TABLE containment_log; DROP TABLE custody_items; DROP TABLE batch_ingredients;
      DROP TABLE batches; DROP TABLE products;`);
  }
}
