// Stored derived state as the database holds it: the participant directory, the asset heads, the
// prescriptions, the packs' states and the recalls.
import type { ParticipantStateReader, StoredKey, StoredParticipant } from '../projections/participant-state';
import type { AssetHeadStateReader, StoredHead } from '../projections/asset-heads-projection';
import type { PrescriptionStateReader, StoredPrescription } from '../projections/prescriptions-projection';
import type { PackStateReader, StoredPackState } from '../projections/pack-states-projection';
import type { RecallStateReader, StoredRecalls } from '../projections/recall-state';
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

interface RecallRow {
  id: string;
  initiator_id: string;
  class: string;
  reason: string;
  instructions: string;
  notify_patients: boolean;
  state: string;
  revision: number;
  initiated_seq: string;
  closed_seq: string | null;
  close_summary: string | null;
}

const seqOrNull = (v: string | null): number | null => (v === null ? null : Number(v));

export class DatabaseRecallReader implements RecallStateReader {
  constructor(private readonly db: SqlRunner) {}

  async read(): Promise<StoredRecalls> {
    const recalls = await rowsOf<RecallRow>(
      this.db,
      `SELECT id, initiator_id, class, reason, instructions, notify_patients, state, revision, initiated_seq, closed_seq, close_summary
         FROM recalls ORDER BY initiated_seq, id`,
    );
    const revisions = await rowsOf<{ recall_id: string; revision: number; kind: string; seq: string; event_hash: string; instructions: string }>(
      this.db,
      'SELECT recall_id, revision, kind, seq, event_hash, instructions FROM recall_revisions ORDER BY seq, recall_id, revision',
    );
    const lots = await rowsOf<{ recall_id: string; ingredient_lot_id: string; added_revision: number }>(
      this.db,
      'SELECT recall_id, ingredient_lot_id, added_revision FROM recall_ingredient_lots ORDER BY recall_id, added_revision, ingredient_lot_id',
    );
    const batches = await rowsOf<{ recall_id: string; batch_id: string; via_ingredient_lot: string | null; added_revision: number; added_seq: string }>(
      this.db,
      'SELECT recall_id, batch_id, via_ingredient_lot, added_revision, added_seq FROM recall_batches ORDER BY added_seq, recall_id, batch_id',
    );
    const acks = await rowsOf<{ recall_id: string; revision: number; participant_id: string; acknowledged_seq: string | null; acknowledged_hash: string | null }>(
      this.db,
      `SELECT recall_id, revision, participant_id, acknowledged_seq, acknowledged_hash FROM recall_notifications
        WHERE acknowledged_seq IS NOT NULL OR acknowledged_hash IS NOT NULL ORDER BY acknowledged_seq NULLS FIRST, id`,
    );
    return {
      recalls: recalls.map((r) => ({
        id: r.id,
        initiatorId: r.initiator_id,
        class: r.class,
        reason: r.reason,
        instructions: r.instructions,
        notifyPatients: r.notify_patients,
        state: r.state,
        revision: Number(r.revision),
        initiatedSeq: Number(r.initiated_seq),
        closedSeq: seqOrNull(r.closed_seq),
        closeSummary: r.close_summary,
      })),
      revisions: revisions.map((r) => ({ recallId: r.recall_id, revision: Number(r.revision), kind: r.kind, seq: Number(r.seq), eventHash: r.event_hash, instructions: r.instructions })),
      ingredientLots: lots.map((l) => ({ recallId: l.recall_id, ingredientLotId: l.ingredient_lot_id, addedRevision: Number(l.added_revision) })),
      batches: batches.map((b) => ({
        recallId: b.recall_id,
        batchId: b.batch_id,
        viaIngredientLot: b.via_ingredient_lot,
        addedRevision: Number(b.added_revision),
        addedSeq: Number(b.added_seq),
      })),
      acknowledgements: acks.map((a) => ({
        recallId: a.recall_id,
        revision: Number(a.revision),
        participantId: a.participant_id,
        seq: seqOrNull(a.acknowledged_seq),
        hash: a.acknowledged_hash,
      })),
    };
  }

  /** One statement for the page: per batch, an index probe (custody_items_batch_state) for one such pack. */
  async packsInStates(batchIds: string[], states: readonly string[], throughSeq: number): Promise<Map<string, StoredPackState>> {
    const rows = await rowsOf<{ batch_id: string; id: string; state: string; updated_seq: string }>(
      this.db,
      `SELECT b.batch_id, p.id, p.state, p.updated_seq FROM unnest($1::text[]) AS b(batch_id)
         CROSS JOIN LATERAL (SELECT c.id, c.state, c.updated_seq FROM custody_items c
                              WHERE c.batch_id = b.batch_id AND c.kind = 'pack' AND c.state = ANY($2::text[]) AND c.updated_seq <= $3
                              ORDER BY c.id LIMIT 1) p`,
      [batchIds, [...states], throughSeq],
    );
    return new Map(rows.map((r) => [r.batch_id, { id: r.id, state: r.state, updatedSeq: Number(r.updated_seq) }]));
  }
}
