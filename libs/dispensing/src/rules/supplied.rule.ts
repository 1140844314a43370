// Dispensing (CBV bizStep dispensing, EU FMD "supplied"): a pharmacy hands packs to a patient against a
// prescription. The event cites each pack's prev, not the prescription's chain (a pharmacy sees the
// prescription, never its events); the prescription's row is checked and updated in the same transaction,
// and the log lock serialises every append, so fifty terminals racing for a one-pack prescription cannot
// both win. Everything is checked atomically: the prescription and its patient, its prescriber, its
// window, one fill at most (its quantity), what remains, the product, and each pack (custody, state, expiry,
// transit, and the lot and expiry scanned when the dispense carries them).
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { unknownPrescription } from '@pharmatrace/prescriptions/prescription-errors';
import {
  normaliseDescription, PATIENT_PSEUDONYM_PATTERN, PrescribedProduct, PRESCRIPTION_ID_PATTERN, prescriptionAssetId, PrescriptionControlledClass, productClassOf,
} from '@pharmatrace/prescriptions/prescription-events';
import { DISPENSING_ROLES, DispensingEventTypes, SuppliedData } from '../dispensing-events';
import { CheckedPack, decommissionPacks, recordDecommission, requireFitPacks } from '../decommission-checks';
import { readPacks, readScanned } from './parse-packs';

interface PrescriptionRow {
  prescriber_id: string;
  patient_pseudonym: string;
  product: PrescribedProduct;
  quantity: number;
  remaining: number;
  valid_from: string;
  valid_until: string;
  controlled_class: PrescriptionControlledClass;
  state: string;
  prescriber_status: string;
  prescriber_licence: string;
}

async function lockPrescription(m: EntityManager, id: string): Promise<PrescriptionRow | null> {
  const rows: PrescriptionRow[] = await m.query(
    `SELECT rx.prescriber_id, rx.patient_pseudonym, rx.product, rx.quantity, rx.remaining, to_char(rx.valid_from, 'YYYY-MM-DD') AS valid_from,
            to_char(rx.valid_until, 'YYYY-MM-DD') AS valid_until, rx.controlled_class, rx.state,
            p.status AS prescriber_status, to_char(p.licence_expires_on, 'YYYY-MM-DD') AS prescriber_licence
       FROM prescriptions rx JOIN participants p ON p.id = rx.prescriber_id WHERE rx.id = $1 FOR UPDATE OF rx`,
    [id],
  );
  return rows[0] ?? null;
}

/** The prescription must be dispensable today, for `count` more packs. */
function requireDispensable(rx: PrescriptionRow, assetId: string, today: string, count: number): void {
  if (rx.prescriber_status !== 'active') {
    throw new DomainError('PRESCRIBER_NOT_ACTIVE', `The prescriber of ${assetId} is suspended, so the prescription cannot be dispensed now; ask the patient to contact the prescriber.`, { prescription: assetId });
  }
  if (rx.prescriber_licence < today) {
    throw new DomainError('PRESCRIBER_NOT_ACTIVE', `The licence of the prescriber of ${assetId} expired on ${rx.prescriber_licence}, so the prescription cannot be dispensed now.`, { prescription: assetId });
  }
  if (rx.state === 'cancelled') throw new DomainError('PRESCRIPTION_CANCELLED', `Prescription ${assetId} was cancelled by its prescriber; it cannot be dispensed.`, { prescription: assetId });
  if (rx.state === 'exhausted') {
    throw new DomainError('PRESCRIPTION_EXHAUSTED', `Prescription ${assetId} is exhausted: every pack it allowed was dispensed, none remains.`, { prescription: assetId, remaining: 0 });
  }
  if (rx.valid_until < today) throw new DomainError('PRESCRIPTION_EXPIRED', `Prescription ${assetId} was valid until ${rx.valid_until}; it can no longer be dispensed.`, { prescription: assetId });
  if (rx.valid_from > today) {
    throw new DomainError('PRESCRIPTION_NOT_YET_VALID', `Prescription ${assetId} may be dispensed from ${rx.valid_from} on, not before.`, { prescription: assetId, validFrom: rx.valid_from });
  }
  // One dispense is one fill: the prescription's quantity at most; its refills are later fills.
  if (count > rx.quantity) {
    throw new DomainError(
      'FILL_QUANTITY_EXCEEDED',
      `Prescription ${assetId} supplies at most ${rx.quantity} pack(s) per fill, and ${rx.remaining} remain in total; this dispense names ${count}: dispense at most ${Math.min(rx.quantity, rx.remaining)} now, the rest as later fills.`,
      { prescription: assetId, quantity: rx.quantity, remaining: rx.remaining },
    );
  }
  if (rx.remaining < count) {
    throw new DomainError(
      'PRESCRIPTION_EXHAUSTED',
      `Prescription ${assetId} allows ${rx.remaining} more pack(s), and this dispense names ${count}; dispense at most ${rx.remaining}.`,
      { prescription: assetId, remaining: rx.remaining },
    );
  }
}

/** Each pack must be the prescribed product (by GTIN, or by ingredient, strength and form) of the prescribed controlled class. */
function requireProductMatches(rx: PrescriptionRow, assetId: string, packs: CheckedPack[]): void {
  const prescribed = rx.product;
  const expectedClass = productClassOf(rx.controlled_class);
  for (const { item, product } of packs) {
    const matches =
      'gtin' in prescribed
        ? product.gtin === prescribed.gtin
        : normaliseDescription(product.activeIngredient) === normaliseDescription(prescribed.activeIngredient) &&
          normaliseDescription(product.strength) === normaliseDescription(prescribed.strength) &&
          normaliseDescription(product.form) === normaliseDescription(prescribed.form);
    if (!matches) {
      const what = 'gtin' in prescribed ? `GTIN ${prescribed.gtin}` : `${prescribed.activeIngredient} ${prescribed.strength} ${prescribed.form}`;
      throw new DomainError('PRODUCT_MISMATCH', `${item.id} is ${product.name} (GTIN ${product.gtin}), but ${assetId} prescribes ${what}; dispense a matching pack.`, { item: item.id });
    }
    if (product.controlledClass !== expectedClass) {
      throw new DomainError(
        'PRODUCT_MISMATCH',
        `${item.id} is registered with controlled class ${product.controlledClass}, but ${assetId} was written for class ${rx.controlled_class}; dispense a matching pack.`,
        { item: item.id },
      );
    }
  }
}

export const suppliedRule: EventRule<SuppliedData> = {
  type: DispensingEventTypes.supplied,
  roles: DISPENSING_ROLES,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const prescription = r.string('prescription', { max: 80, pattern: PRESCRIPTION_ID_PATTERN, hint: 'must be the prescription id (8–80 letters, digits, ".", "_" or "-"), as the e-prescription token carries it' });
    const patient = r.string('patient', { max: 1000, pattern: PATIENT_PSEUDONYM_PATTERN, hint: 'must be the patient pseudonym from the e-prescription token: exactly 64 lowercase hex characters; never a name or a national id' });
    const packs = readPacks(r, event);
    const scanned = readScanned(r, event.data, packs);
    r.done();
    const data: SuppliedData = scanned === undefined ? { v: 1, prescription, patient, packs } : { v: 1, prescription, patient, packs, scanned };
    return { ...event, data } as EventEnvelope<SuppliedData>;
  },
  async apply({ manager: m, event, hash, seq, signer, now }) {
    const { prescription, patient, packs, scanned } = event.data;
    const assetId = prescriptionAssetId(prescription);
    const today = now.toISOString().slice(0, 10);
    const rx = await lockPrescription(m, prescription);
    // A wrong pseudonym answers exactly like an unknown prescription: ids cannot be probed.
    if (!rx || rx.patient_pseudonym !== patient) throw unknownPrescription(assetId);
    requireDispensable(rx, assetId, today, packs.length);
    const checked = await requireFitPacks(m, packs, signer.participantId, today, now, scanned);
    requireProductMatches(rx, assetId, checked);

    const remaining = rx.remaining - packs.length;
    await m.query('UPDATE prescriptions SET remaining = $2, state = $3, updated_seq = $4 WHERE id = $1', [prescription, remaining, remaining === 0 ? 'exhausted' : 'active', seq]);
    await decommissionPacks(m, checked.map((c) => c.item), signer.participantId, 'supplied', null, seq);
    await recordDecommission(m, { hash, seq, participantId: signer.participantId, kind: 'supplied', packs, prescriptionId: prescription, at: now });
    // The receipt never carries the patient pseudonym.
    return { prescription: assetId, supplied: packs.length, remaining };
  },
};
