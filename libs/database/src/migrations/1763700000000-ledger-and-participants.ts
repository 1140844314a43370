import { MigrationInterface, QueryRunner } from 'typeorm';

/** The event log, per-item chains, participants with their keys, and sign-in sessions. */
export class LedgerAndParticipants1763700000000 implements MigrationInterface {
  name = 'LedgerAndParticipants1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_counter (
        id smallint PRIMARY KEY CHECK (id = 1),
        last_seq bigint NOT NULL
      );
      INSERT INTO ledger_counter (id, last_seq) VALUES (1, 0);

      CREATE TABLE ledger_events (
        seq bigint PRIMARY KEY,
        hash char(64) NOT NULL UNIQUE,
        event_id text NOT NULL,
        type text NOT NULL,
        actor text NOT NULL,
        kid text NOT NULL,
        at timestamptz NOT NULL,
        body text NOT NULL,
        sig text NOT NULL,
        result jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_events_actor_event_id UNIQUE (actor, event_id)
      );
      CREATE INDEX ledger_events_type ON ledger_events (type, seq);

      CREATE TABLE event_assets (
        asset_id text NOT NULL,
        seq bigint NOT NULL REFERENCES ledger_events (seq),
        prev char(64),
        PRIMARY KEY (asset_id, seq)
      );

      CREATE TABLE asset_heads (
        asset_id text PRIMARY KEY,
        head_hash char(64) NOT NULL,
        head_seq bigint NOT NULL REFERENCES ledger_events (seq)
      );

      CREATE TABLE participants (
        id text PRIMARY KEY,
        legal_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('supplier','manufacturer','wholesaler','pharmacy','prescriber','regulator')),
        gln char(13) NOT NULL UNIQUE,
        licence_number text NOT NULL,
        licence_expires_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('active','suspended')),
        status_reason text,
        registered_seq bigint NOT NULL REFERENCES ledger_events (seq) DEFERRABLE INITIALLY DEFERRED,
        updated_seq bigint NOT NULL REFERENCES ledger_events (seq) DEFERRABLE INITIALLY DEFERRED,
        registered_at timestamptz NOT NULL
      );
      CREATE INDEX participants_role ON participants (role);

      CREATE TABLE participant_keys (
        kid text PRIMARY KEY,
        participant_id text NOT NULL REFERENCES participants (id),
        public_key text NOT NULL,
        label text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('terminal','logger','operator')),
        status text NOT NULL CHECK (status IN ('active','revoked')),
        added_seq bigint NOT NULL REFERENCES ledger_events (seq) DEFERRABLE INITIALLY DEFERRED,
        revoked_seq bigint REFERENCES ledger_events (seq) DEFERRABLE INITIALLY DEFERRED,
        added_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text
      );
      CREATE INDEX participant_keys_participant ON participant_keys (participant_id);

      CREATE TABLE auth_challenges (
        nonce text PRIMARY KEY,
        participant_id text NOT NULL,
        kid text NOT NULL,
        expires_at timestamptz NOT NULL
      );

      CREATE TABLE auth_sessions (
        token_hash char(64) PRIMARY KEY,
        participant_id text NOT NULL REFERENCES participants (id),
        kid text NOT NULL REFERENCES participant_keys (kid),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE auth_sessions; DROP TABLE auth_challenges; DROP TABLE participant_keys; DROP TABLE participants;
      DROP TABLE asset_heads; DROP TABLE event_assets; DROP TABLE ledger_events; DROP TABLE ledger_counter;
    `);
  }
}
