// The demo's prescriptions and dispensing, through the SDK: Dr. Rivera issues e-prescriptions (the patient
// only as a pseudonym, computed on the prescriber's side with its own secret — never a name); Central Square
// dispenses two Glargex pens of the case it received against one, undoes one of those dispenses (handed over
// by mistake: the pen is active again and the prescription gets it back), and is refused a pen against a
// prescription for another medicine (PRODUCT_MISMATCH: nothing stored). Seeded once, after the custody journeys.
import { dispense, issuePrescription, patientPseudonym, PharmaTraceApiError, PharmaTraceClient, undoDispense } from '@pharmatrace/sdk';
import { DEMO_GTIN, DemoCustody } from './demo-custody';
import { shiftDate, utcToday } from './demo-dates';
import { DEMO_PARTICIPANTS, keyFor } from './demo-network';

/**
 * The demo prescriber's pseudonym secret. A real practice keeps 32 random bytes of its own, out of any
 * repository; the demo's is fixed so that its pseudonyms are the same on every machine.
 */
export const DEMO_PSEUDONYM_SECRET = 'demo-prescriber pseudonym secret, not for production use';
/** The demo patients' national ids, as typed at the practice (only their pseudonyms leave it). */
export const DEMO_PATIENT_IDS = ['DEMO-000-0001', 'DEMO-000-0002'] as const;

export interface DemoDispensing {
  /** Glargex, 3 pens, for the first patient: two dispensed, one of them undone — so 2 remain. */
  insulinPrescription: string;
  /** Metformin 500 mg tablets for the second patient: a Glargex pen against it is refused. */
  otherPrescription: string;
  /** Pseudonyms of the two prescriptions' patients (what the patients' e-prescription tokens carry). */
  patients: { insulin: string; other: string };
  /** The pen supplied to the first patient (state supplied). */
  dispensedPack: string;
  /** The pen dispensed and then undone (active again). */
  undonePack: string;
  /** The hash of the dispense that supplied both pens. */
  dispenseEvent: string;
  /** The pen refused against the metformin prescription (still active), with the refusal. */
  refusedPack: string;
  refusal: { code: string; message: string };
}

const scanOf = (packId: string): string => `01${DEMO_GTIN}21${packId.slice(`sgtin:${DEMO_GTIN}.`.length)}`;

export async function seedDemoDispensing(baseUrl: string, keysDir: string, custody: DemoCustody): Promise<DemoDispensing> {
  const client = (id: string) => new PharmaTraceClient(baseUrl, keyFor(keysDir, DEMO_PARTICIPANTS.find((p) => p.id === id)!));
  const [dr, central] = ['demo-prescriber', 'demo-pharmacy-central'].map(client);
  const [insulinPatient, otherPatient] = DEMO_PATIENT_IDS.map((id) => patientPseudonym(DEMO_PSEUDONYM_SECRET, id));
  const today = utcToday();
  const validUntil = shiftDate(today, { months: 3 });

  const { id: insulinPrescription } = await issuePrescription(dr, {
    patient: insulinPatient, product: { gtin: DEMO_GTIN }, quantity: 3, refills: 0, validFrom: today, validUntil, controlledClass: 'none',
  });
  const { id: otherPrescription } = await issuePrescription(dr, {
    patient: otherPatient, product: { activeIngredient: 'metformin hydrochloride', strength: '500 mg', form: 'tablet' }, quantity: 2, refills: 0,
    validFrom: today, validUntil, controlledClass: 'none',
  });

  const [dispensedPack, undonePack, refusedPack] = custody.centralPacks;
  const supplied = await dispense(central, { prescription: insulinPrescription, patient: insulinPatient, scans: [dispensedPack, undonePack].map(scanOf) });
  await undoDispense(central, supplied.hash, [undonePack]);

  let refusal: { code: string; message: string } | null = null;
  try {
    await dispense(central, { prescription: otherPrescription, patient: otherPatient, scans: [scanOf(refusedPack)] });
  } catch (e) {
    if (!(e instanceof PharmaTraceApiError)) throw e;
    refusal = { code: e.code, message: e.message };
  }
  if (!refusal) throw new Error(`The demo expected a Glargex pen against a metformin prescription to be refused, and it was dispensed.`);

  return {
    insulinPrescription, otherPrescription, patients: { insulin: insulinPatient, other: otherPatient },
    dispensedPack, undonePack, dispenseEvent: supplied.hash, refusedPack, refusal,
  };
}
