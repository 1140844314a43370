// Prescriptions as a prescriber's practice system and a pharmacy's counter drive them (docs/prescriptions.md):
// the patient pseudonym is computed here, on the client, so that the platform never receives a name or a
// national id; the prescription is signed with the prescriber's key and submitted through its mutation.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import {
  prescriptionAssetId,
  PrescriptionCancelledData,
  PrescriptionControlledClass,
  PrescriptionEventTypes,
  PrescriptionIssuedData,
  PrescriptionState,
} from '@pharmatrace/prescriptions/prescription-events';
import { Receipt, RECEIPT_FIELDS } from './api-types';
import { PharmaTraceClient } from './pharmatrace-client';
import { uuidv7 } from './uuidv7';

/** A pseudonym secret shorter than this could be found by trying every national id. */
export const MIN_PSEUDONYM_SECRET_BYTES = 32;

/**
 * How a national patient id is written before it is hashed, so that the same person always gets the same
 * pseudonym however the id was typed: surrounding and inner whitespace removed, dashes removed (ASCII `-`
 * and the Unicode dashes U+2010–U+2015, U+2212), letters upper-cased. `' 123-45 6789x '` → `'123456789X'`.
 */
export function normaliseNationalId(nationalId: string): string {
  return nationalId.replace(/[\s\-\u2010-\u2015\u2212]/g, '').toUpperCase();
}

/**
 * The patient pseudonym: HMAC-SHA-256 with the prescriber's secret over the normalised national id, as 64
 * lowercase hex characters. The secret (bytes, or a string taken as its UTF-8 bytes; at least 32 bytes)
 * stays with the prescriber; without it the pseudonym cannot be turned back into the id.
 */
export function patientPseudonym(secret: Uint8Array | string, nationalId: string): string {
  const key = typeof secret === 'string' ? utf8ToBytes(secret) : secret;
  if (key.length < MIN_PSEUDONYM_SECRET_BYTES) {
    throw new Error(`The pseudonym secret must be at least ${MIN_PSEUDONYM_SECRET_BYTES} bytes (got ${key.length}); use 32 random bytes.`);
  }
  const id = normaliseNationalId(nationalId);
  if (id.length === 0) throw new Error('The national patient id is empty.');
  return bytesToHex(hmac(sha256, key, utf8ToBytes(id)));
}

/** What a prescriber's system fills in: the signed payload without its version, the id optional. */
export type PrescriptionSpec = Omit<PrescriptionIssuedData, 'v' | 'id'> & {
  /** Defaults to a fresh UUIDv7. */
  id?: string;
};

async function call(client: PharmaTraceClient, mutation: 'issuePrescription' | 'cancelPrescription', signed: unknown): Promise<Receipt> {
  const r = await client.query<Record<string, Receipt>>(`mutation($i: SignedEventInput!) { ${mutation}(input: $i) { ${RECEIPT_FIELDS} } }`, { i: signed });
  return r[mutation];
}

/** Signs a prescription.issued event (a new prescription:<id> chain) and submits it. */
export async function issuePrescription(client: PharmaTraceClient, spec: PrescriptionSpec): Promise<{ receipt: Receipt; id: string }> {
  const { id = uuidv7(), ...rest } = spec;
  const data: PrescriptionIssuedData = { v: 1, id, ...rest };
  const signed = client.sign({ type: PrescriptionEventTypes.issued, assets: [{ id: prescriptionAssetId(id), prev: null }], data });
  return { receipt: await call(client, 'issuePrescription', signed), id };
}

/** The prescriber cancels its own active prescription. */
export async function cancelPrescription(client: PharmaTraceClient, id: string, reason: string): Promise<Receipt> {
  const data: PrescriptionCancelledData = { v: 1, id, reason };
  return call(client, 'cancelPrescription', await client.signWithHeads(PrescriptionEventTypes.cancelled, [prescriptionAssetId(id)], data));
}

export interface PrescriptionView {
  id: string;
  assetId: string;
  prescriberId: string;
  patient: string;
  product: { gtin: string | null; activeIngredient: string | null; strength: string | null; form: string | null };
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
export const PRESCRIPTION_FIELDS =
  'id assetId prescriberId patient product { gtin activeIngredient strength form } quantity refills remaining validFrom validUntil controlledClass state issuedSeq updatedSeq';

/**
 * A prescription: its prescriber and regulators may leave `patient` out; a pharmacy passes the patient
 * pseudonym it was given. Null when there is none, or none the caller may see.
 */
export async function prescription(client: PharmaTraceClient, id: string, patient?: string): Promise<PrescriptionView | null> {
  const r = await client.query<{ prescription: PrescriptionView | null }>(`query($id: String!, $p: String) { prescription(id: $id, patient: $p) { ${PRESCRIPTION_FIELDS} } }`, {
    id,
    p: patient ?? null,
  });
  return r.prescription;
}

/** A prescriber's own prescriptions in issue order, `first` (≤ 100) at a time after the one with id `after`. */
export async function myPrescriptions(client: PharmaTraceClient, first = 50, after?: string): Promise<PrescriptionView[]> {
  const r = await client.query<{ myPrescriptions: PrescriptionView[] }>(`query($f: Int!, $a: String) { myPrescriptions(first: $f, after: $a) { ${PRESCRIPTION_FIELDS} } }`, {
    f: first,
    a: after ?? null,
  });
  return r.myPrescriptions;
}
