import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';
import { PrescribedProduct, PrescriptionControlledClass, prescriptionState, PrescriptionState, StoredPrescriptionState } from './prescription-events';

/** A prescription as stored, with its state as of today (`expired` once validUntil has passed). */
export interface PrescriptionView {
  id: string;
  assetId: string;
  prescriberId: string;
  patientPseudonym: string;
  product: PrescribedProduct;
  quantity: number;
  refills: number;
  remaining: number;
  validFrom: string;
  validUntil: string;
  controlledClass: PrescriptionControlledClass;
  state: PrescriptionState;
  issuedSeq: number;
  updatedSeq: number;
}

/** Most prescriptions one page of `myPrescriptions` returns. */
export const MAX_PRESCRIPTIONS_PAGE = 100;

interface Row {
  id: string;
  prescriber_id: string;
  patient_pseudonym: string;
  product: PrescribedProduct;
  quantity: number;
  refills: number;
  remaining: number;
  valid_from: string;
  valid_until: string;
  controlled_class: PrescriptionControlledClass;
  state: StoredPrescriptionState;
  issued_seq: string;
  updated_seq: string;
}

const COLUMNS = `id, prescriber_id, patient_pseudonym, product, quantity, refills, remaining, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
  to_char(valid_until, 'YYYY-MM-DD') AS valid_until, controlled_class, state, issued_seq, updated_seq`;

function toView(r: Row, today: string): PrescriptionView {
  return {
    id: r.id,
    assetId: `prescription:${r.id}`,
    prescriberId: r.prescriber_id,
    patientPseudonym: r.patient_pseudonym,
    product: r.product,
    quantity: r.quantity,
    refills: r.refills,
    remaining: r.remaining,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    controlledClass: r.controlled_class,
    state: prescriptionState(r.state, r.valid_until, today),
    issuedSeq: Number(r.issued_seq),
    updatedSeq: Number(r.updated_seq),
  };
}

const today = (): string => new Date().toISOString().slice(0, 10);

/** Read side of prescriptions. It does not decide who may see what: resolvers ask AccessPolicy first. */
@Injectable()
export class PrescriptionQueries {
  constructor(private readonly dataSource: DataSource) {}

  async byId(id: string): Promise<PrescriptionView | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM prescriptions WHERE id = $1`, [id]);
    return rows[0] ? toView(rows[0], today()) : null;
  }

  /**
   * A prescriber's own prescriptions in the order they were issued, `first` at a time after the one whose
   * id is `after` (which must be one of its own: anything else answers as an id it never issued).
   */
  async byPrescriber(prescriberId: string, first: number, after: string | null): Promise<PrescriptionView[]> {
    let afterSeq = 0;
    if (after !== null) {
      const rows: Array<{ issued_seq: string }> = await this.dataSource.query('SELECT issued_seq FROM prescriptions WHERE id = $1 AND prescriber_id = $2', [after, prescriberId]);
      if (!rows[0]) throw new DomainError('BAD_REQUEST', `after must be the id of one of your prescriptions (the last one of the previous page); you issued none with id ${after}.`);
      afterSeq = Number(rows[0].issued_seq);
    }
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM prescriptions WHERE prescriber_id = $1 AND issued_seq > $2 ORDER BY issued_seq LIMIT $3`,
      [prescriberId, afterSeq, first],
    );
    const now = today();
    return rows.map((r) => toView(r, now));
  }
}
