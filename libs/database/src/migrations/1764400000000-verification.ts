import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verification for everyone who holds a pack (README "Verification"): the manufacturer's label
 * signatures, public scans (coarse: time, region given by the client, a random per-device id — no IP
 * address, no personal data), the verification alerts they raise with their life cycle, and the DSCSA
 * verification responder's per-participant tokens and request log. Participants gain a town, shown in
 * a pack's journey.
 */
export class Verification1764400000000 implements MigrationInterface {
  name = 'Verification1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE participants ADD COLUMN town text;

      CREATE TABLE pack_labels (
        gtin char(14) NOT NULL,
        serial text NOT NULL,
        lot text NOT NULL,
        expiry char(6) NOT NULL,
        kid text NOT NULL REFERENCES participant_keys (kid),
        signature text NOT NULL,
        manufacturer_id text NOT NULL REFERENCES participants (id),
        registered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (gtin, serial)
      );
      CREATE INDEX pack_labels_batch ON pack_labels (gtin, lot, serial);

      CREATE TABLE pack_scans (
        id uuid PRIMARY KEY,
        gtin char(14) NOT NULL,
        serial text NOT NULL,
        scanned_at timestamptz NOT NULL DEFAULT now(),
        region text,
        device_id text,
        channel text NOT NULL,
        status text NOT NULL,
        reasons text[] NOT NULL,
        checked_at timestamptz
      );
      CREATE INDEX pack_scans_serial ON pack_scans (gtin, serial, scanned_at);

      CREATE TABLE verification_alerts (
        id text PRIMARY KEY,
        kind text NOT NULL,
        clone_suspected boolean NOT NULL,
        gtin char(14) NOT NULL,
        serial text NOT NULL,
        lot text,
        manufacturer_id text REFERENCES participants (id),
        status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'under_investigation', 'closed')),
        revision integer NOT NULL DEFAULT 1,
        evidence jsonb NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX verification_alerts_open ON verification_alerts (gtin, serial, kind) WHERE status <> 'closed';
      CREATE INDEX verification_alerts_serial ON verification_alerts (gtin, serial);
      CREATE INDEX verification_alerts_manufacturer ON verification_alerts (manufacturer_id, raised_at DESC);

      CREATE TABLE verification_alert_updates (
        alert_id text NOT NULL REFERENCES verification_alerts (id),
        revision integer NOT NULL,
        status text NOT NULL,
        note text,
        by_participant_id text REFERENCES participants (id),
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (alert_id, revision)
      );

      CREATE TABLE vrs_tokens (
        id text PRIMARY KEY,
        participant_id text NOT NULL REFERENCES participants (id),
        token_sha256 char(64) NOT NULL UNIQUE,
        label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      );
      CREATE INDEX vrs_tokens_participant ON vrs_tokens (participant_id);

      CREATE TABLE vrs_requests (
        id bigserial PRIMARY KEY,
        requested_at timestamptz NOT NULL DEFAULT now(),
        requester_id text NOT NULL REFERENCES participants (id),
        manufacturer_id text REFERENCES participants (id),
        gtin text NOT NULL,
        lot text,
        serial text,
        expiry text,
        context text,
        req_gln text,
        corr_uuid text,
        check_connectivity boolean NOT NULL DEFAULT false,
        verified boolean,
        failure_reason text,
        additional_info text
      );
      CREATE INDEX vrs_requests_manufacturer ON vrs_requests (manufacturer_id, id DESC);
      CREATE INDEX vrs_requests_requester ON vrs_requests (requester_id, id DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE vrs_requests;
      DROP TABLE vrs_tokens;
      DROP TABLE verification_alert_updates;
      DROP TABLE verification_alerts;
      DROP TABLE pack_scans;
      DROP TABLE pack_labels;
      ALTER TABLE participants DROP COLUMN town;
    `);
  }
}
