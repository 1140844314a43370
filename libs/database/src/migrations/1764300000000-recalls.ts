import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recalls (libs/recalls), their notifications and webhook deliveries (libs/notifications), and the indexes
 * tracing needs at national scale (libs/tracing): a batch of 100,000 packs over many custodians.
 */
export class Recalls1764300000000 implements MigrationInterface {
  name = 'Recalls1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recalls (
        id text PRIMARY KEY,
        initiator_id text NOT NULL REFERENCES participants (id),
        class text NOT NULL CHECK (class IN ('I','II','III')),
        reason text NOT NULL,
        instructions text NOT NULL,
        notify_patients boolean NOT NULL,
        state text NOT NULL CHECK (state IN ('open','closed')),
        revision integer NOT NULL,
        initiated_seq bigint NOT NULL,
        initiated_at timestamptz NOT NULL,
        closed_seq bigint,
        closed_at timestamptz,
        close_summary text
      );
      CREATE INDEX recalls_initiator ON recalls (initiator_id, initiated_seq);

      -- One row per signed recall event (1 = initiated, then each amendment, and the close). fanned_out_at
      -- is set once the worker has notified every holder of it: a revision left NULL is picked up again.
      CREATE TABLE recall_revisions (
        recall_id text NOT NULL REFERENCES recalls (id),
        revision integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('initiated','amended','closed')),
        seq bigint NOT NULL UNIQUE,
        event_hash char(64) NOT NULL,
        at timestamptz NOT NULL,
        instructions text NOT NULL,
        fanned_out_at timestamptz,
        PRIMARY KEY (recall_id, revision)
      );
      CREATE INDEX recall_revisions_pending ON recall_revisions (seq) WHERE fanned_out_at IS NULL;

      -- The batches a recall covers: named, or reached through an ingredient lot they consumed.
      CREATE TABLE recall_batches (
        recall_id text NOT NULL REFERENCES recalls (id),
        batch_id text NOT NULL REFERENCES batches (id),
        via_ingredient_lot text,
        added_revision integer NOT NULL,
        added_seq bigint NOT NULL,
        PRIMARY KEY (recall_id, batch_id)
      );
      CREATE INDEX recall_batches_batch ON recall_batches (batch_id);

      CREATE TABLE recall_ingredient_lots (
        recall_id text NOT NULL REFERENCES recalls (id),
        ingredient_lot_id text NOT NULL,
        added_revision integer NOT NULL,
        PRIMARY KEY (recall_id, ingredient_lot_id)
      );
      CREATE INDEX recall_ingredient_lots_lot ON recall_ingredient_lots (ingredient_lot_id);
      CREATE INDEX batch_ingredients_lot ON batch_ingredients (ingredient_lot_id);

      -- One notification per participant and revision. reasons: custodian (holds affected goods),
      -- in_transit_recipient (an open shipment of affected goods is addressed to it), supplier (it supplied
      -- packs of a recalled batch to patients), initiator. Acknowledged by a signed recall.acknowledged.
      CREATE TABLE recall_notifications (
        id bigserial PRIMARY KEY,
        recall_id text NOT NULL REFERENCES recalls (id),
        revision integer NOT NULL,
        participant_id text NOT NULL REFERENCES participants (id),
        reasons text[] NOT NULL,
        affected_packs integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_seq bigint,
        acknowledged_hash char(64),
        acknowledged_at timestamptz,
        UNIQUE (recall_id, revision, participant_id),
        FOREIGN KEY (recall_id, revision) REFERENCES recall_revisions (recall_id, revision)
      );
      CREATE INDEX recall_notifications_participant ON recall_notifications (participant_id, id);

      -- Where a participant wants its notifications POSTed (Standard Webhooks, signed by the ledger key).
      CREATE TABLE webhook_endpoints (
        participant_id text PRIMARY KEY REFERENCES participants (id),
        url text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE webhook_deliveries (
        notification_id bigint PRIMARY KEY REFERENCES recall_notifications (id),
        participant_id text NOT NULL REFERENCES participants (id),
        url text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending','delivered','failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        failed_at timestamptz
      );
      CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (created_at) WHERE state = 'pending';

      -- Tracing: packs of a batch by state and custodian; shipments by sequence.
      CREATE INDEX custody_items_batch_state ON custody_items (batch_id, state) WHERE batch_id IS NOT NULL;
      CREATE INDEX shipments_open ON shipments (shipped_seq) WHERE state = 'in_transit';
      CREATE INDEX decommissions_participant ON decommissions (participant_id, seq);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX decommissions_participant; DROP INDEX shipments_open; DROP INDEX custody_items_batch_state;
      DROP TABLE webhook_deliveries; DROP TABLE webhook_endpoints; DROP TABLE recall_notifications; DROP INDEX batch_ingredients_lot;
      DROP TABLE recall_ingredient_lots; DROP TABLE recall_batches; DROP TABLE recall_revisions; DROP TABLE recalls;`);
  }
}
