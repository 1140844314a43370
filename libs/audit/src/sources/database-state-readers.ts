// Stored derived state as the database holds it: the participant directory, the asset heads, the
// prescriptions and the packs' states.
import type { ParticipantStateReader, StoredKey, StoredParticipant } from '../projections/participant-state';
import type { AssetHeadStateReader, StoredHead } from '../projections/asset-heads-projection';
import type { PrescriptionStateReader, StoredPrescription } from '../projections/prescriptions-projection';
import type { PackStateReader, StoredPackState } from '../projections/pack-states-projection';
import { rowsOf, type SqlRunner } from './sql-runner';

interface ParticipantRow {
  id: string;
  legal_name: string;
  role: string;
  gln: string;
  licence_number: string;
  licence_expires_on: string;
  status: string;
  status_reason: string | null;
  registered_seq: string;
  updated_seq: string;
}

interface KeyRow {
  kid: string;
  participant_id: string;
  public_key: string;
  label: string;
  kind: string;
  status: string;
  added_seq: string;
  revoked_seq: string | null;
  revoked_reason: string | null;
}

interface HeadRow {
  asset_id: string;
  head_hash: string;
  head_seq: string;
}

const HEAD_PAGE = 5000;

const toHead = (r: HeadRow): StoredHead => ({ assetId: r.asset_id, hash: r.head_hash, seq: Number(r.head_seq) });

export class DatabaseParticipantReader implements ParticipantStateReader {
  constructor(private readonly db: SqlRunner) {}

  async read(): Promise<{ participants: StoredParticipant[]; keys: StoredKey[] }> {
    // Dates as text: the pg driver would turn a date into a local-midnight Date object.
    const participants = await rowsOf<ParticipantRow>(
      this.db,
      `SELECT id, legal_name, role, gln, licence_number, to_char(licence_expires_on, 'YYYY-MM-DD') AS licence_expires_on,
              status, status_reason, registered_seq, updated_seq
         FROM participants ORDER BY registered_seq, id`,
    );
    const keys = await rowsOf<KeyRow>(
      this.db,
      'SELECT kid, participant_id, public_key, label, kind, status, added_seq, revoked_seq, revoked_reason FROM participant_keys ORDER BY added_seq, kid',
    );
    return {
      participants: participants.map((p) => ({
        id: p.id,
        legalName: p.legal_name,
        role: p.role,
        gln: p.gln,
        licenceNumber: p.licence_number,
        licenceExpiresOn: p.licence_expires_on,
        status: p.status,
        statusReason: p.status_reason,
        registeredSeq: Number(p.registered_seq),
        updatedSeq: Number(p.updated_seq),
      })),
      keys: keys.map((k) => ({
        kid: k.kid,
        participantId: k.participant_id,
        publicKey: k.public_key,
        label: k.label,
        kind: k.kind,
        status: k.status,
        addedSeq: Number(k.added_seq),
        revokedSeq: k.revoked_seq === null ? null : Number(k.revoked_seq),
        revokedReason: k.revoked_reason,
      })),
    };
  }
}

export class DatabaseAssetHeadReader implements AssetHeadStateReader {
  constructor(private readonly db: SqlRunner) {}

  async *pages(): AsyncIterable<StoredHead[]> {
    let after: string | null = null;
    for (;;) {
      const rows: HeadRow[] = await rowsOf<HeadRow>(
        this.db,
        'SELECT asset_id, head_hash, head_seq FROM asset_heads WHERE $1::text IS NULL OR asset_id > $1 ORDER BY asset_id LIMIT $2',
        [after, HEAD_PAGE],
      );
      if (rows.length === 0) return;
      yield rows.map(toHead);
      after = rows[rows.length - 1].asset_id;
    }
  }

  async lookup(assetIds: string[]): Promise<Map<string, StoredHead>> {
    const rows = await rowsOf<HeadRow>(this.db, 'SELECT asset_id, head_hash, head_seq FROM asset_heads WHERE asset_id = ANY($1::text[])', [assetIds]);
    return new Map(rows.map((r) => [r.asset_id, toHead(r)]));
  }
}

interface PrescriptionRow {
  id: string;
  prescriber_id: string;
  patient_pseudonym: string;
  quantity: number;
  refills: number;
  remaining: number;
  controlled_class: string;
  state: string;
  issued_seq: string;
  updated_seq: string;
}

export class DatabasePrescriptionReader implements PrescriptionStateReader {
  constructor(private readonly db: SqlRunner) {}

  async read(): Promise<StoredPrescription[]> {
    const rows = await rowsOf<PrescriptionRow>(
      this.db,
      `SELECT id, prescriber_id, patient_pseudonym, quantity, refills, remaining, controlled_class, state, issued_seq, updated_seq
         FROM prescriptions ORDER BY issued_seq, id`,
    );
    return rows.map((r) => ({
      id: r.id,
      prescriberId: r.prescriber_id,
      patient: r.patient_pseudonym,
      quantity: Number(r.quantity),
      refills: Number(r.refills),
      remaining: Number(r.remaining),
      controlledClass: r.controlled_class,
      state: r.state,
      issuedSeq: Number(r.issued_seq),
      updatedSeq: Number(r.updated_seq),
    }));
  }
}

export class DatabasePackStateReader implements PackStateReader {
  constructor(private readonly db: SqlRunner) {}

  async lookup(ids: string[]): Promise<Map<string, StoredPackState>> {
    const rows = await rowsOf<{ id: string; state: string; updated_seq: string }>(this.db, 'SELECT id, state, updated_seq FROM custody_items WHERE id = ANY($1::text[])', [ids]);
    return new Map(rows.map((r) => [r.id, { id: r.id, state: r.state, updatedSeq: Number(r.updated_seq) }]));
  }
}
