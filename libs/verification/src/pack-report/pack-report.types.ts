// The public report on one scanned pack (docs/patient-page.md): what the patient's QR page shows and what
// `Accept: application/json` returns. A stable, documented shape: add fields, never rename or remove them.
import type { PackIdentifiers } from '@pharmatrace/gs1';
import type { LabelSignatureStatus, PackStatus, VerdictReasonCode, VerdictRecall } from '../pack-verdict';

export interface ReportReason {
  code: VerdictReasonCode;
  /** A sentence the patient (or pharmacist) can act on. */
  message: string;
  /** EU Hub alert code (e.g. `A3`), or null. */
  emvs: string | null;
  /** National system return code (e.g. `NMVS_NC_PC_02`), or null. */
  nmvs: string | null;
}

export interface ReportVerdict {
  /** The pack is registered and its label matches (no unknown, mismatch, clone or bad-signature reason). */
  genuine: boolean;
  /** Fit to take / dispense: genuine and no reason at all against it. */
  safeToUse: boolean;
  /** The same as safeToUse, named as at the pharmacy counter. */
  fitToDispense: boolean;
  status: PackStatus;
  reasons: ReportReason[];
  /** ISO 8601 UTC. */
  checkedAt: string;
}

export interface ReportProduct {
  /** GTIN-14. */
  gtin: string;
  name: string;
  activeIngredient: string;
  strength: string;
  form: string;
}

export interface ReportManufacturer {
  name: string;
  /** GS1 Global Location Number, 13 digits. */
  gln: string;
  town: string | null;
}

export interface ReportBatch {
  lot: string;
  /** YYYY-MM-DD */
  expiresOn: string;
}

/** One holder of the pack, in order. Never shipment ids, prices, patients or prescriptions. */
export interface JourneyStep {
  /** `made` (commissioned by the manufacturer), `held` (received into custody), `supplied` (dispensed to a patient). */
  kind: 'made' | 'held' | 'supplied';
  /** The participant's legal name; for a pharmacy only "a pharmacy" (pharmacies are shown by role and town). */
  participantName: string;
  /** The participant's role: manufacturer, wholesaler, pharmacy, … */
  role: string;
  town: string | null;
  /** ISO 8601 UTC: when it took custody (or supplied the pack). */
  from: string;
  /** ISO 8601 UTC: when it shipped the pack on; null while it holds it (or for `supplied`). */
  to: string | null;
  /** A sentence for the page, e.g. "Supplied to a patient by Central Square Pharmacy, York". */
  description: string;
}

export interface TemperatureReading {
  /** ISO 8601 UTC. */
  at: string;
  /** Degrees Celsius. */
  celsius: number;
}

export interface ReportTemperature {
  /** `within_policy`, `broken`, `no_readings`, or `not_evaluated` (no verdict yet; the product needs none, or the worker has not judged it). */
  verdict: 'within_policy' | 'broken' | 'no_readings' | 'not_evaluated';
  /** A sentence for the page. */
  summary: string;
  /** The product's storage range, °C. */
  storage: { minC: number; maxC: number };
  /** Minutes out of range (summed over the evaluations of the pack and its containers). */
  minutesOutOfRange: number;
  /** Worst reading out of range, °C; null when none. */
  worstC: number | null;
  /** Mean kinetic temperature (USP ⟨1160⟩, ΔH/R = 10,000 K), °C; null when not computed. */
  mktC: number | null;
  /** All readings taken for the pack, its containers and the shipments that carried it. */
  readingCount: number;
  /** At most MAX_CHART_READINGS readings, evenly picked in time order, for the chart. */
  readings: TemperatureReading[];
}

export interface LedgerProofReport {
  /** The pack's latest event on the ledger (its leaf in the Merkle tree). */
  event: { hash: string; seq: number; type: string; at: string };
  /** `verified`: sealed and checked on the server; `not_sealed`: not sealed into a block yet (not an error); `failed`: the check failed. */
  status: 'verified' | 'not_sealed' | 'failed';
  verified: boolean;
  /** The leaf hash: SHA-256(0x00 ‖ event hash bytes), hex (RFC 6962 §2.1). */
  leafHash: string | null;
  block: {
    number: number;
    header: { height: number; prevHeaderHash: string | null; treeSize: number; rootHash: string; firstSeq: number; lastSeq: number; sealedAt: string };
    /** SHA-256 of the RFC 8785 canonical header, hex. */
    headerHash: string;
    /** base64url Ed25519 signature of the ledger key over the header hash (context `PharmaTrace/block/v1`). */
    signature: string;
    ledgerKeyId: string;
    /** The ledger key (base64url, 32 bytes); pin it from /.well-known/pharmatrace-ledger rather than trusting this copy. */
    ledgerPublicKey: string | null;
  } | null;
  inclusionProof: { leafIndex: number; treeSize: number; auditPath: string[] } | null;
}

export interface PackReport {
  verdict: ReportVerdict;
  /** The identifiers the verdict answers for (GTIN-14; expiry YYYY-MM-DD). */
  scanned: PackIdentifiers;
  product: ReportProduct | null;
  manufacturer: ReportManufacturer | null;
  /** Only when every identifier scanned matched the registered batch. */
  batch: ReportBatch | null;
  journey: JourneyStep[];
  temperature: ReportTemperature | null;
  recall: VerdictRecall | null;
  labelSignature: LabelSignatureStatus;
  ledger: LedgerProofReport | null;
}
