// What each verdict reason means to a patient, in plain words (GOV.UK style: what happened, what to do).
// The verifier's own sentence (for the pharmacist) is shown beneath as the detail.
import type { VerdictReasonCode } from '@pharmatrace/verification';

export interface PatientWords {
  /** What is wrong, one short sentence. */
  what: string;
  /** What to do. */
  todo: string;
}

const TAKE_BACK = 'Do not take it. Take it back to the pharmacy that gave it to you, or ask a pharmacist.';
const REPORT = 'Do not take it. Take it back to a pharmacy and tell them what this page says: it may be fake.';

export const PATIENT_WORDS: Record<VerdictReasonCode, PatientWords> = {
  UNKNOWN_PRODUCT: { what: 'We cannot find this medicine in the register.', todo: REPORT },
  UNKNOWN_BATCH: { what: 'The batch number on this pack is not in the register.', todo: REPORT },
  UNKNOWN_SERIAL: { what: 'The serial number on this pack was never registered by its maker.', todo: REPORT },
  BATCH_MISMATCH: { what: 'The batch number on this pack does not match the one registered for it.', todo: REPORT },
  EXPIRY_MISMATCH: { what: 'The expiry date on this pack does not match the one registered for it.', todo: REPORT },
  EXPIRED: { what: 'This medicine is past its expiry date.', todo: TAKE_BACK },
  RECALLED: { what: 'This medicine has been recalled by its maker or the medicines agency.', todo: 'Do not take it unless your doctor or pharmacist tells you to. Follow the recall instructions below, or take it back to a pharmacy.' },
  QUARANTINED: { what: 'This pack is on hold because it may not have been kept at the right temperature.', todo: TAKE_BACK },
  ALREADY_SUPPLIED: { what: 'This pack is recorded as already given to a patient.', todo: 'If a pharmacy gave it to you, this is expected and you can use it as prescribed. If you got it any other way, do not take it and show it to a pharmacist.' },
  DESTROYED: { what: 'This pack was recorded as destroyed, so it should not exist.', todo: REPORT },
  STOLEN: { what: 'This pack was reported stolen.', todo: REPORT },
  LOCKED: { what: 'This pack is on hold while it is checked.', todo: TAKE_BACK },
  EXPORTED: { what: 'This pack was sent to another country and should not be sold here.', todo: TAKE_BACK },
  SAMPLE: { what: 'This pack was taken out of the supply chain as a sample.', todo: TAKE_BACK },
  FREE_SAMPLE: { what: 'This pack was given out as a free sample.', todo: TAKE_BACK },
  LOST: { what: 'This pack was reported lost.', todo: REPORT },
  IN_TRANSIT: { what: 'This pack is recorded as still on its way to a pharmacy or wholesaler.', todo: TAKE_BACK },
  SUSPECTED_CLONE: { what: 'This code has been scanned in places one pack cannot be, so it may have been copied.', todo: REPORT },
  BAD_SIGNATURE: { what: 'The code on this pack is not signed by its maker: the label may be fake.', todo: REPORT },
};
