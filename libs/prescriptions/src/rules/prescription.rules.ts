// A prescriber issues a prescription (a new `prescription:<id>` chain) and may cancel it while it is
// active. The pipeline has already refused suspended signers, revoked keys and lapsed licences; these
// rules check the payload, the rules from practice, and the prescription's state.
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { gtin14Problem } from '@pharmatrace/gs1';
import {
  MAX_PRESCRIPTION_QUANTITY, MAX_PRESCRIPTION_REFILLS, normaliseDescription, PATIENT_PSEUDONYM_PATTERN, PRESCRIPTION_CONTROLLED_CLASSES, PRESCRIPTION_ID_PATTERN,
  PrescribedProduct, prescriptionAssetId, PrescriptionCancelledData, PrescriptionEventTypes, PrescriptionIssuedData, prescriptionProblem, productClassOf, totalPacks,
} from '../prescription-events';
import { unknownPrescription } from '../prescription-errors';

const ID_HINT = 'must be 8–80 letters, digits, ".", "_" or "-" (e.g. a UUIDv7)';
const PSEUDONYM_HINT =
  'must be the patient pseudonym: exactly 64 lowercase hex characters (HMAC-SHA-256 of the normalised national patient id, computed with the prescriber’s own secret, e.g. the SDK’s patientPseudonym); never a name or a national id';

/** Its prevs are the pipeline's to check (null for a new id; a taken id is ALREADY_REGISTERED whatever it cites). */
function requireOnlyAsset(event: EventEnvelope, id: string, created: boolean): void {
  const asset = prescriptionAssetId(id);
  if (event.assets.length !== 1 || event.assets[0].id !== asset) {
    throw new DomainError('INVALID_EVENT_DATA', `This event must list exactly one asset, ${asset}, with prev ${created ? 'null' : 'its current head'}.`);
  }
}

/** `{ gtin }`, or `{ activeIngredient, strength, form }`: which one is told by whether `gtin` is there. */
function readProduct(r: EventDataReader, data: unknown): PrescribedProduct {
  const p = r.object('product');
  const raw = (data as { product: object }).product; // an object: r.object checked it
  if (Object.hasOwn(raw, 'gtin')) {
    const gtin = p.string('gtin', { max: 14 });
    const problem = gtin14Problem(gtin);
    if (problem) throw new DomainError('INVALID_GTIN', problem);
    p.done();
    return { gtin };
  }
  const product = { activeIngredient: p.text('activeIngredient', { max: 200 }), strength: p.text('strength', { max: 60 }), form: p.text('form', { max: 60 }) };
  p.done();
  return product;
}

/** A prescriber signs a prescription for a pseudonymous patient: product, quantity, refills, window, class. */
export const prescriptionIssuedRule: EventRule<PrescriptionIssuedData> = {
  type: PrescriptionEventTypes.issued,
  roles: ['prescriber'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const id = r.string('id', { max: 80, pattern: PRESCRIPTION_ID_PATTERN, hint: ID_HINT });
    // Any length up to the reader's bound gets the pseudonym sentence, not a bare length complaint.
    const patient = r.string('patient', { max: 1000, pattern: PATIENT_PSEUDONYM_PATTERN, hint: PSEUDONYM_HINT });
    const product = readProduct(r, event.data);
    const quantity = r.integer('quantity', { min: 1, max: MAX_PRESCRIPTION_QUANTITY });
    const refills = r.integer('refills', { min: 0, max: MAX_PRESCRIPTION_REFILLS });
    const validFrom = r.date('validFrom');
    const validUntil = r.date('validUntil');
    const controlledClass = r.oneOf('controlledClass', PRESCRIPTION_CONTROLLED_CLASSES);
    r.done();
    requireOnlyAsset(event, id, true);
    const data: PrescriptionIssuedData = { v: 1, id, patient, product, quantity, refills, validFrom, validUntil, controlledClass };
    // The issue date is the day (UTC) the prescriber signed it; the pipeline keeps `at` within the clock skew of now.
    const problem = prescriptionProblem(data, event.at.slice(0, 10));
    if (problem) throw new DomainError(problem.code, problem.message, { prescription: prescriptionAssetId(id) });
    return { ...event, data } as EventEnvelope<PrescriptionIssuedData>;
  },
  // An id used before answers ALREADY_REGISTERED from the pipeline, whatever prev the event cites.
  createdAssets: (event) => [prescriptionAssetId(event.data.id)],
  alreadyRegistered: (assetId) => `Prescription ${assetId} is already registered; give every prescription a new id (a fresh UUIDv7).`,
  async apply({ manager: m, event, seq, signer }) {
    const d = event.data;
    await requireClassMatches(m, d.product, d.controlledClass);
    const remaining = totalPacks(d.quantity, d.refills);
    await m.query(
      `INSERT INTO prescriptions (id, prescriber_id, patient_pseudonym, product, quantity, refills, remaining, valid_from, valid_until,
                                  controlled_class, state, issued_seq, updated_seq)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, 'active', $11, $11)`,
      [d.id, signer.participantId, d.patient, JSON.stringify(d.product), d.quantity, d.refills, remaining, d.validFrom, d.validUntil, d.controlledClass, seq],
    );
    // The receipt is stored in the ledger and shown to whoever may see the event: no patient pseudonym in it.
    return { prescription: prescriptionAssetId(d.id), remaining };
  },
};

/**
 * A prescription's class must be the registered product's: by GTIN the product must exist and carry that
 * class; by description, every registered product matching it must (a product not registered yet is
 * checked when it is dispensed).
 */
async function requireClassMatches(m: EntityManager, product: PrescribedProduct, controlledClass: PrescriptionIssuedData['controlledClass']): Promise<void> {
  const expected = productClassOf(controlledClass);
  if ('gtin' in product) {
    const rows: Array<{ controlled_class: string }> = await m.query('SELECT controlled_class FROM products WHERE gtin = $1', [product.gtin]);
    if (!rows[0]) {
      throw new DomainError('UNKNOWN_PRODUCT', `No product with GTIN ${product.gtin} is registered; prescribe a registered GTIN, or by active ingredient, strength and form.`, { gtin: product.gtin });
    }
    if (rows[0].controlled_class !== expected) throw classMismatch(`product ${product.gtin}`, rows[0].controlled_class, controlledClass);
    return;
  }
  const norm = `lower(regexp_replace(btrim($col), '\\s+', ' ', 'g'))`;
  const rows: Array<{ gtin: string; controlled_class: string }> = await m.query(
    `SELECT gtin, controlled_class FROM products
      WHERE ${norm.replace('$col', 'active_ingredient')} = $1 AND ${norm.replace('$col', 'strength')} = $2 AND ${norm.replace('$col', 'form')} = $3
        AND controlled_class <> $4
      ORDER BY gtin LIMIT 1`,
    [normaliseDescription(product.activeIngredient), normaliseDescription(product.strength), normaliseDescription(product.form), expected],
  );
  if (rows[0]) throw classMismatch(`the matching product ${rows[0].gtin}`, rows[0].controlled_class, controlledClass);
}

function classMismatch(what: string, registered: string, prescribed: string): DomainError {
  const as = registered === 'none' ? 'not a controlled substance' : registered === 'CI' ? 'schedule I (never prescribable)' : `class ${registered.slice(1)}`;
  return new DomainError(
    'PRESCRIPTION_CLASS_MISMATCH',
    `The prescription says controlled class ${prescribed}, but ${what} is registered as ${as}; give the product’s class.`,
    { registered, prescribed },
  );
}

/** The prescriber withdraws its own prescription while it is still active (not cancelled, exhausted or expired). */
export const prescriptionCancelledRule: EventRule<PrescriptionCancelledData> = {
  type: PrescriptionEventTypes.cancelled,
  roles: ['prescriber'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const id = r.string('id', { max: 80, pattern: PRESCRIPTION_ID_PATTERN, hint: ID_HINT });
    const reason = r.text('reason', { max: 500 });
    r.done();
    requireOnlyAsset(event, id, false);
    return { ...event, data: { v: 1, id, reason } } as EventEnvelope<PrescriptionCancelledData>;
  },
  async apply({ manager: m, event, seq, signer, now }) {
    const { id } = event.data;
    const rows: Array<{ prescriber_id: string; state: string; valid_until: string }> = await m.query(
      `SELECT prescriber_id, state, to_char(valid_until, 'YYYY-MM-DD') AS valid_until FROM prescriptions WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const p = rows[0];
    // Another prescriber learns nothing of it: the answer is the one for a prescription that does not exist.
    if (!p || p.prescriber_id !== signer.participantId) throw unknownPrescription(prescriptionAssetId(id));
    if (p.state === 'cancelled') throw new DomainError('PRESCRIPTION_CANCELLED', `Prescription ${prescriptionAssetId(id)} is already cancelled.`, { prescription: prescriptionAssetId(id) });
    if (p.state === 'exhausted') {
      throw new DomainError('PRESCRIPTION_EXHAUSTED', `Prescription ${prescriptionAssetId(id)} is exhausted: every pack it allowed was dispensed, so there is nothing left to cancel.`, { prescription: prescriptionAssetId(id) });
    }
    const today = now.toISOString().slice(0, 10);
    if (p.valid_until < today) {
      throw new DomainError('PRESCRIPTION_EXPIRED', `Prescription ${prescriptionAssetId(id)} expired after ${p.valid_until}; it can no longer be dispensed, so there is nothing to cancel.`, { prescription: prescriptionAssetId(id) });
    }
    await m.query(`UPDATE prescriptions SET state = 'cancelled', updated_seq = $2 WHERE id = $1`, [id, seq]);
    return { prescription: prescriptionAssetId(id), state: 'cancelled' };
  },
};
