// The DSCSA verification answer (GS1 US Lightweight Messaging Standard for DSCSA Verification of Product
// Identifiers, "LMS", Release 1.3 and its Implementation Guideline) from the one verdict every scan gets
// (DESIGN.md "One verdict for every scan"). Framework-free: the responder, the SDK and tests share it.
import type { PackVerdict, VerdictReasonCode } from '@pharmatrace/verification/pack-verdict';

/** LMS `verificationFailureReason` values (the guideline's table; `Not_for_re-distribution` is not used here). */
export const VRS_FAILURE_REASONS = [
  'No_match_GTIN_Serial',
  'No_match_GTIN_Serial_Lot',
  'No_match_GTIN_Serial_Expiry',
  'No_match_GTIN_Serial_Lot_Expiry',
  'Manufacturer_policy',
  'No_reason_provided',
] as const;
export type VrsFailureReason = (typeof VRS_FAILURE_REASONS)[number];

/** LMS `additionalInfo` values this responder sends (`ExpirationExtended` has no fact behind it here). */
export const VRS_ADDITIONAL_INFO = ['Illegitimate', 'Suspect', 'Recalled', 'Expired'] as const;
export type VrsAdditionalInfo = (typeof VRS_ADDITIONAL_INFO)[number];

/** The LMS response's `data` object. */
export interface VrsAnswerData {
  /** True exactly when the product identifier (GTIN + serial, and the lot and expiry sent) matches one the manufacturer commissioned. */
  verified: boolean;
  /** Only when `verified` is false. */
  verificationFailureReason?: VrsFailureReason;
  /** Only when `verified` is true and something is known against the pack; one value, the gravest. */
  additionalInfo?: VrsAdditionalInfo;
}

/**
 * What each verdict reason adds to a verified answer (the identifiers matched). DSCSA (FD&C Act §581(21)
 * and (8)) calls a product *suspect* when there is reason to believe it may be counterfeit, diverted,
 * stolen, adulterated or otherwise unfit, and *illegitimate* when credible evidence shows it is; LMS
 * `Suspect` / `Illegitimate` carry those meanings ("authenticity or integrity considered suspect /
 * illegitimate by the Responder").
 *
 * | verdict reason    | additionalInfo | why                                                                                  |
 * |-------------------|----------------|--------------------------------------------------------------------------------------|
 * | DESTROYED         | Illegitimate   | a pack recorded destroyed cannot be in hand: the one asked about is a copy            |
 * | STOLEN            | Illegitimate   | reported stolen by its holder: credible evidence of a stolen product                  |
 * | SUSPECTED_CLONE   | Suspect        | scans one pack cannot make: reason to believe it may be counterfeit, not yet proven   |
 * | BAD_SIGNATURE     | Suspect        | a label signature that does not verify (never sent over VRS; kept for completeness)   |
 * | LOCKED            | Suspect        | locked for investigation: the holder already treats it as suspect                     |
 * | LOST              | Suspect        | reported lost: may have been diverted                                                 |
 * | QUARANTINED       | Suspect        | cold-chain hold: its integrity (LMS: "authenticity or integrity") is in question      |
 * | ALREADY_SUPPLIED  | Suspect        | dispensed to a patient: a return into distribution is diverted product               |
 * | EXPORTED          | Suspect        | left this market: back in distribution means diverted                                  |
 * | SAMPLE            | Suspect        | decommissioned as a sample: not saleable stock                                        |
 * | FREE_SAMPLE       | Suspect        | decommissioned as a free sample: not saleable stock                                   |
 * | RECALLED          | Recalled       | LMS: "recalled or withdrawn"                                                          |
 * | EXPIRED           | Expired        | LMS: "expiration date in the past"                                                    |
 * | IN_TRANSIT        | —              | shipped and not yet received: an ordinary supply-chain fact                           |
 */
export const ADDITIONAL_INFO_OF: Partial<Record<VerdictReasonCode, VrsAdditionalInfo>> = {
  DESTROYED: 'Illegitimate',
  STOLEN: 'Illegitimate',
  SUSPECTED_CLONE: 'Suspect',
  BAD_SIGNATURE: 'Suspect',
  LOCKED: 'Suspect',
  LOST: 'Suspect',
  QUARANTINED: 'Suspect',
  ALREADY_SUPPLIED: 'Suspect',
  EXPORTED: 'Suspect',
  SAMPLE: 'Suspect',
  FREE_SAMPLE: 'Suspect',
  RECALLED: 'Recalled',
  EXPIRED: 'Expired',
};

/** Gravest first: one value is sent, and a trading partner must not miss the worst. */
const GRAVITY: readonly VrsAdditionalInfo[] = VRS_ADDITIONAL_INFO;

/**
 * The LMS `data` for a verdict. The failure reasons follow the guideline: the GTIN and serial are matched
 * first ("if GTIN and Serial Number do not match, there is no need to check whether Lot or Expiration
 * Date match"), then the lot and expiry the requester sent — both against the pack that GTIN and serial
 * name. The verdict judges a scanned expiry against the scanned lot's batch when that lot is registered;
 * when the lot does not match, the responder asks the verdict again without the lot and passes
 * `expiryMismatch` (the expiry against the pack's own batch).
 *
 * | verdict reasons                                           | verified | verificationFailureReason       |
 * |-----------------------------------------------------------|----------|---------------------------------|
 * | UNKNOWN_PRODUCT or UNKNOWN_SERIAL (whatever else)         | false    | No_match_GTIN_Serial            |
 * | BATCH_MISMATCH or UNKNOWN_BATCH, and EXPIRY_MISMATCH      | false    | No_match_GTIN_Serial_Lot_Expiry |
 * | BATCH_MISMATCH or UNKNOWN_BATCH (serial known)            | false    | No_match_GTIN_Serial_Lot        |
 * | EXPIRY_MISMATCH (serial known, lot matches)               | false    | No_match_GTIN_Serial_Expiry     |
 * | none of those                                             | true     | — (additionalInfo per ADDITIONAL_INFO_OF) |
 */
export function vrsAnswer(verdict: Pick<PackVerdict, 'reasons'>, options: { expiryMismatch?: boolean } = {}): VrsAnswerData {
  const codes = new Set(verdict.reasons.map((r) => r.code));
  if (codes.has('UNKNOWN_PRODUCT') || codes.has('UNKNOWN_SERIAL')) return { verified: false, verificationFailureReason: 'No_match_GTIN_Serial' };
  const lot = codes.has('BATCH_MISMATCH') || codes.has('UNKNOWN_BATCH');
  const expiry = options.expiryMismatch ?? codes.has('EXPIRY_MISMATCH');
  if (lot && expiry) return { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot_Expiry' };
  if (lot) return { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' };
  if (expiry) return { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Expiry' };
  const infos = new Set([...codes].map((c) => ADDITIONAL_INFO_OF[c]).filter((i): i is VrsAdditionalInfo => i !== undefined));
  const gravest = GRAVITY.find((i) => infos.has(i));
  return gravest ? { verified: true, additionalInfo: gravest } : { verified: true };
}

/**
 * The answer to `checkConnectivity=true`: no lookup is made, so nothing is verified. `verified: false`
 * with `No_reason_provided`, so that a requester that ignores the flag can never take it for a match.
 */
export const CONNECTIVITY_ANSWER: VrsAnswerData = Object.freeze({ verified: false, verificationFailureReason: 'No_reason_provided' });

/** The whole LMS response body. */
export interface VrsResponse {
  /** ISO 8601 UTC with milliseconds. */
  verificationTimestamp: string;
  /** The GLN of the product's manufacturer (the platform answers on its behalf); null when the GTIN is not registered here. */
  responderGLN: string | null;
  data: VrsAnswerData;
  /** The requester's correlation UUID, echoed; absent when it sent none. */
  corrUUID?: string;
}
