// One verdict for every scan (DESIGN.md "One verdict for every scan"): the pharmacist's counter scan, the
// patient's QR page and the DSCSA responder ask the same question — is this pack what it claims, and fit
// to hand on? — and this file answers it from the facts the database holds. Framework-free (no Nest,
// TypeORM or pg), so the SDK, the patient page and the DSCSA responder share the shapes and the decision.
import type { PackIdentifiers } from '@pharmatrace/gs1';
import type { RecallClass } from '@pharmatrace/recalls/recall-events';

/**
 * Why a pack is not fit to dispense, in the EMVS alert vocabulary. `emvs` is the EU Hub alert and `nmvs`
 * the national system's return code, for mapping to an EU FMD integration; `null` where EMVS reports the
 * fact as a pack or batch status rather than an alert, or has no counterpart.
 *
 * | code              | EMVS alert | NMVS return code   | when                                                            |
 * |-------------------|------------|--------------------|-----------------------------------------------------------------|
 * | UNKNOWN_PRODUCT   | —          | NMVS_NC_PC_01      | no product with the scanned GTIN is registered                  |
 * | UNKNOWN_BATCH     | A2         | NMVS_FE_LOT_03     | no batch with the scanned lot is registered for the GTIN        |
 * | UNKNOWN_SERIAL    | A3         | NMVS_NC_PC_02      | the serial was never commissioned for the GTIN                  |
 * | BATCH_MISMATCH    | A68        | NMVS_FE_LOT_13     | the serial exists, but in another lot than the one scanned      |
 * | EXPIRY_MISMATCH   | A52        | NMVS_FE_LOT_12     | the expiry scanned is not the batch's expiry                    |
 * | EXPIRED           | —          | —                  | the batch's expiry date has passed, or the pack is set expired   |
 * | RECALLED          | —          | —                  | the pack's batch is in a recall (open or closed), or it is set recalled |
 * | QUARANTINED       | —          | —                  | held by the cold chain (itself or its container) until released |
 * | ALREADY_SUPPLIED  | A24        | NMVS_NC_PCK_22     | already supplied (dispensed), here or at another location       |
 * | DESTROYED         | A24        | NMVS_NC_PCK_22     | decommissioned: destroyed                                       |
 * | STOLEN            | A24        | NMVS_NC_PCK_22     | decommissioned: reported stolen                                 |
 * | LOCKED            | A24        | NMVS_NC_PCK_22     | decommissioned: locked for investigation                        |
 * | EXPORTED          | A24        | NMVS_NC_PCK_22     | decommissioned: exported, left the market                       |
 * | SAMPLE            | A24        | NMVS_NC_PCK_22     | decommissioned: sample (to a competent authority)               |
 * | FREE_SAMPLE       | A24        | NMVS_NC_PCK_22     | decommissioned: free sample                                     |
 * | LOST              | —          | —                  | reported lost (not an EU FMD state; a custody fact here)         |
 * | IN_TRANSIT        | —          | —                  | shipped and not yet received                                    |
 * | SUSPECTED_CLONE   | —          | —                  | a clone alert under investigation on the serial (not a new one) |
 * | BAD_SIGNATURE     | —          | —                  | the label's signature is not the product manufacturer's         |
 *
 * A24 / NMVS_NC_PCK_22 ("pack is already inactive") is what EMVS raises when an inactive pack is
 * decommissioned again — supplying it — whatever the inactive state. Each reason is an independent fact,
 * so one scan may carry several (an unknown serial in an unknown lot: UNKNOWN_SERIAL and UNKNOWN_BATCH).
 * The DSCSA mapping (GS1 US Lightweight Messaging failure reasons and additionalInfo) comes with the
 * verification issue, from these same reasons.
 */
export const VERDICT_REASON_CODES = [
  'UNKNOWN_PRODUCT',
  'UNKNOWN_BATCH',
  'UNKNOWN_SERIAL',
  'BATCH_MISMATCH',
  'EXPIRY_MISMATCH',
  'EXPIRED',
  'RECALLED',
  'QUARANTINED',
  'ALREADY_SUPPLIED',
  'DESTROYED',
  'STOLEN',
  'LOCKED',
  'EXPORTED',
  'SAMPLE',
  'FREE_SAMPLE',
  'LOST',
  'IN_TRANSIT',
  'SUSPECTED_CLONE',
  'BAD_SIGNATURE',
] as const;
export type VerdictReasonCode = (typeof VERDICT_REASON_CODES)[number];

/** The EU Hub alert and NMVS return code of each reason (the table above). */
export const EMVS_CODES: Record<VerdictReasonCode, { emvs: string | null; nmvs: string | null }> = {
  UNKNOWN_PRODUCT: { emvs: null, nmvs: 'NMVS_NC_PC_01' },
  UNKNOWN_BATCH: { emvs: 'A2', nmvs: 'NMVS_FE_LOT_03' },
  UNKNOWN_SERIAL: { emvs: 'A3', nmvs: 'NMVS_NC_PC_02' },
  BATCH_MISMATCH: { emvs: 'A68', nmvs: 'NMVS_FE_LOT_13' },
  EXPIRY_MISMATCH: { emvs: 'A52', nmvs: 'NMVS_FE_LOT_12' },
  EXPIRED: { emvs: null, nmvs: null },
  RECALLED: { emvs: null, nmvs: null },
  QUARANTINED: { emvs: null, nmvs: null },
  ALREADY_SUPPLIED: { emvs: 'A24', nmvs: 'NMVS_NC_PCK_22' },
  DESTROYED: { emvs: 'A24', nmvs: 'NMVS_NC_PCK_22' },
  STOLEN: { emvs: 'A24', nmvs: 'NMVS_NC_PCK_22' },
  LOCKED: { emvs: 'A24', nmvs: 'NMVS_NC_PCK_22' },
  EXPORTED: { emvs: 'A24', nmvs: 'NMVS_NC_PCK_22' },
  SAMPLE: { emvs: 'A24', nmvs: 'NMVS_NC_PCK_22' },
  FREE_SAMPLE: { emvs: 'A24', nmvs: 'NMVS_NC_PCK_22' },
  LOST: { emvs: null, nmvs: null },
  IN_TRANSIT: { emvs: null, nmvs: null },
  SUSPECTED_CLONE: { emvs: null, nmvs: null },
  BAD_SIGNATURE: { emvs: null, nmvs: null },
};

/**
 * A pack's state as the verdict names it: the EU FMD states (DESIGN.md "Pack states"), `lost`, and
 * `unknown` for a serial that was never commissioned. The stored `dispensed` is `supplied`; an active pack
 * past its batch's expiry date is `expired`.
 */
export const PACK_STATUSES = [
  'active',
  'in_transit',
  'supplied',
  'sample',
  'free_sample',
  'locked',
  'exported',
  'destroyed',
  'stolen',
  'lost',
  'quarantined',
  'recalled',
  'expired',
  'unknown',
] as const;
export type PackStatus = (typeof PACK_STATUSES)[number];

export interface VerdictReason {
  code: VerdictReasonCode;
  /** A sentence for the person at the counter (or the patient). */
  message: string;
  emvs: string | null;
  nmvs: string | null;
}

export interface VerdictProduct {
  gtin: string;
  name: string;
  activeIngredient: string;
  strength: string;
  form: string;
  manufacturerId: string;
  manufacturerName: string;
}

export interface VerdictBatch {
  lot: string;
  /** YYYY-MM-DD */
  expiresOn: string;
}

/**
 * The recall a pack's batch is in (open or closed: recalled is final), as the counter and the patient page show
 * it (DESIGN.md "Recalls and tracing"). Class after FDA 21 CFR 7.3(m).
 */
export interface VerdictRecall {
  /** `recall:<id>` */
  id: string;
  class: RecallClass;
  reason: string;
  /** What to do with the pack (the recall's current instructions). */
  instructions: string;
  /** Whether patients who were supplied a pack are to be told. */
  notifyPatients: boolean;
  /** When the recall was initiated, ISO 8601 UTC. */
  initiatedAt: string;
}

export interface VerdictPack {
  /** The pack's asset id, `sgtin:<gtin14>.<serial>`. */
  id: string;
  state: PackStatus;
  /**
   * Who holds it. decidePackVerdict always sets it; PackVerifier keeps it only for that custodian itself
   * and regulators, so that a verification answer never tells who holds a pack (docs/access-model.md).
   */
  custodianId?: string;
}

/**
 * The label signature a scan carried (docs/pack-labels.md): `valid` when it is the product manufacturer's
 * Ed25519 signature over the scanned identifiers by one of its keys (not revoked as compromised);
 * `invalid` when present and anything else; `absent` when the scan carried none (counter scans of the
 * DataMatrix, labels printed elsewhere) — not a reason by itself.
 */
export type LabelSignatureStatus = 'valid' | 'invalid' | 'absent';

/** A clone alert under investigation on the scanned serial (libs/scan-alerts), as the verdict reports it. */
export interface VerdictCloneAlert {
  id: string;
  /** What raised it, e.g. `REGIONS_WITHIN_WINDOW`, `TOO_MANY_DEVICES`. */
  kind: string;
  /** ISO 8601 UTC. */
  raisedAt: string;
}

export interface PackVerdict {
  /** True exactly when there is no reason against it. */
  fitToDispense: boolean;
  status: PackStatus;
  reasons: VerdictReason[];
  /** The identifiers the verdict answers for, as scanned (GTIN as 14 digits). */
  scanned: PackIdentifiers;
  /** When the verdict was taken (ISO 8601): the expiry is judged on this day (UTC). */
  checkedAt: string;
  /** The registered product, when the GTIN is known. */
  product?: VerdictProduct;
  /**
   * The pack's batch, when every identifier scanned matched it and the label's signature (if any) is the
   * manufacturer's: a label carrying another lot or expiry, or a bad signature, is not told the genuine
   * ones (they would help fix a falsified label), nor the expiry date or the recall's details.
   */
  batch?: VerdictBatch;
  /** The pack, when the serial is known. */
  pack?: VerdictPack;
  /** The recall the pack's batch is in, when the serial is known, its batch is in one, and the label matches (as `batch`). */
  recall?: VerdictRecall;
  /** Whether the scan carried the manufacturer's label signature, and whether it verified. */
  labelSignature: LabelSignatureStatus;
}

/** What the database holds about the scanned identifiers (read by PackVerifier). */
export interface VerdictFacts {
  scanned: PackIdentifiers;
  /** The day the verdict is for, YYYY-MM-DD (UTC). */
  today: string;
  product: VerdictProduct | null;
  /** The batch registered for the scanned GTIN and lot; null when none is, or no lot was scanned. */
  scannedBatch: VerdictBatch | null;
  /** The pack with the scanned GTIN and serial; null when it was never commissioned. */
  pack: {
    id: string;
    /** Its own stored state. */
    state: string;
    /** The stored state of its outermost container (its own when it is not packed). */
    topState: string;
    /** True while it (or its outermost container) travels in an open shipment. */
    inTransit: boolean;
    custodianId: string;
    batch: VerdictBatch | null;
  } | null;
  /** The participant who scans, for "here or at another location"; null when anonymous. */
  scannedBy: string | null;
  /** The recall the pack's batch is in (open first, then the latest); null when none, or the pack is unknown. */
  recall: VerdictRecall | null;
  /**
   * The clone alert under investigation on the serial (taken up by the manufacturer or a regulator), the earliest;
   * null when none. A `new` alert (raised from scans anyone can make, not yet looked at) and a closed one are not.
   */
  cloneAlert: VerdictCloneAlert | null;
  /** The label signature's check (the caller verifies it against the manufacturer's keys). */
  labelSignature: LabelSignatureStatus;
}

/** Stored states (custody_items.state) that are themselves a reason, with the status they show as. */
const STATE_REASONS: Record<string, { status: PackStatus; code: VerdictReasonCode } | undefined> = {
  dispensed: { status: 'supplied', code: 'ALREADY_SUPPLIED' },
  supplied: { status: 'supplied', code: 'ALREADY_SUPPLIED' },
  sample: { status: 'sample', code: 'SAMPLE' },
  free_sample: { status: 'free_sample', code: 'FREE_SAMPLE' },
  locked: { status: 'locked', code: 'LOCKED' },
  exported: { status: 'exported', code: 'EXPORTED' },
  destroyed: { status: 'destroyed', code: 'DESTROYED' },
  stolen: { status: 'stolen', code: 'STOLEN' },
  lost: { status: 'lost', code: 'LOST' },
  quarantined: { status: 'quarantined', code: 'QUARANTINED' },
  recalled: { status: 'recalled', code: 'RECALLED' },
  expired: { status: 'expired', code: 'EXPIRED' },
};

/** States that say nothing against the pack by themselves: transit is judged from the shipment link. */
const CIRCULATING = new Set(['active', 'in_transit']);

function reason(code: VerdictReasonCode, message: string): VerdictReason {
  return { code, message, ...EMVS_CODES[code] };
}

function stateMessage(code: VerdictReasonCode, facts: VerdictFacts, custodianId: string, labelTrusted: boolean): string {
  switch (code) {
    case 'ALREADY_SUPPLIED':
      if (facts.scannedBy === null) return 'This pack was already supplied to a patient: it must not be supplied again.';
      return facts.scannedBy === custodianId
        ? 'This pack was already supplied (dispensed) here: it must not be supplied again.'
        : 'This pack was already supplied (dispensed) at another location: it must not be supplied again; keep it aside and report it.';
    case 'SAMPLE':
      return 'This pack was decommissioned as a sample: it must not be supplied.';
    case 'FREE_SAMPLE':
      return 'This pack was decommissioned as a free sample: it must not be supplied.';
    case 'LOCKED':
      return 'This pack is locked for investigation: it must not be supplied until it is unlocked.';
    case 'EXPORTED':
      return 'This pack was exported and has left this market: it must not be supplied here.';
    case 'DESTROYED':
      return 'This pack was reported destroyed: a pack in hand is suspect; keep it aside and report it.';
    case 'STOLEN':
      return 'This pack was reported stolen: keep it aside and report it.';
    case 'LOST':
      return 'This pack was reported lost: keep it aside and report it.';
    case 'QUARANTINED':
      return 'This pack is quarantined (cold chain): it must not be supplied until its manufacturer or a regulator releases it.';
    case 'RECALLED':
      // A label that does not match (or is not signed by the manufacturer) is not told the recall's details.
      if (facts.recall === null || !labelTrusted) return 'This pack was recalled: it must not be supplied; return it to its manufacturer.';
      return `This pack's batch is recalled (class ${facts.recall.class}, ${facts.recall.id}: ${facts.recall.reason}): it must not be supplied. Instructions: ${facts.recall.instructions}`;
    case 'EXPIRED':
      return 'This pack is marked expired: it must not be supplied.';
    default:
      return code;
  }
}

/**
 * The verdict on scanned identifiers, from what is registered. Product, batch and serial are checked
 * like NMVS does; then the pack's state (its own, then its outermost container's), transit, and the
 * expiry date on `facts.today`. Fit to dispense exactly when no reason is found.
 */
export function decidePackVerdict(facts: VerdictFacts, checkedAt: string): PackVerdict {
  const { scanned, product, pack } = facts;
  const base = { scanned, checkedAt, labelSignature: facts.labelSignature };
  if (!product) {
    const reasons = [reason('UNKNOWN_PRODUCT', `No product with GTIN ${scanned.gtin} is registered: the pack may be falsified, or the code was misread.`)];
    return { fitToDispense: false, status: 'unknown', reasons, ...base };
  }

  const reasons: VerdictReason[] = [];
  if (scanned.lot !== null && facts.scannedBatch === null) {
    reasons.push(reason('UNKNOWN_BATCH', `Lot ${scanned.lot} is not registered for ${product.name} (GTIN ${scanned.gtin}): the pack may be falsified, or the code was misread.`));
  }
  if (facts.labelSignature === 'invalid') {
    reasons.push(reason('BAD_SIGNATURE', `The code's signature is not ${product.manufacturerName}'s signature for this pack: the label may be counterfeit; do not use the pack and report it.`));
  }
  if (!pack) {
    reasons.unshift(reason('UNKNOWN_SERIAL', `Serial ${scanned.serial} was never commissioned for ${product.name} (GTIN ${scanned.gtin}): the pack may be falsified, or the code was misread.`));
    return { fitToDispense: false, status: 'unknown', reasons, product, ...base };
  }

  const lotMatches = scanned.lot === null || (pack.batch !== null && pack.batch.lot === scanned.lot);
  if (!lotMatches) {
    reasons.push(reason('BATCH_MISMATCH', `Serial ${scanned.serial} belongs to another lot than the ${scanned.lot} scanned: the pack may be falsified, or the code was misread.`));
  }
  // The expiry belongs to a batch: the lot scanned when it is registered, else the pack's own.
  const expiryReference = facts.scannedBatch ?? pack.batch;
  const expiryMatches = scanned.expiry === null || expiryReference === null || expiryReference.expiresOn === scanned.expiry;
  if (!expiryMatches) {
    reasons.push(reason('EXPIRY_MISMATCH', `The expiry scanned (${scanned.expiry}) is not the expiry registered for this batch: the pack may be falsified, or the code was misread.`));
  }

  // What a label that names another lot or expiry, or carries a bad signature, is not told: the genuine
  // batch, its expiry date, the recall's details (they would help fix a falsified label).
  const labelTrusted = lotMatches && expiryMatches && facts.labelSignature !== 'invalid';

  // Its own state first (a pack keeps its own final state inside a container), then the container's hold.
  let status: PackStatus = 'active';
  const seen = new Set<VerdictReasonCode>();
  for (const state of [pack.state, pack.topState]) {
    if (CIRCULATING.has(state)) continue;
    const known = STATE_REASONS[state];
    if (!known || seen.has(known.code)) continue;
    seen.add(known.code);
    if (status === 'active') status = known.status;
    reasons.push(reason(known.code, stateMessage(known.code, facts, pack.custodianId, labelTrusted)));
  }
  // A recall covers the batch whatever the pack's own state (a supplied pack keeps it, and is recalled too): one reason.
  if (facts.recall !== null && !seen.has('RECALLED')) {
    seen.add('RECALLED');
    if (status === 'active') status = 'recalled';
    reasons.push(reason('RECALLED', stateMessage('RECALLED', facts, pack.custodianId, labelTrusted)));
  }
  if (pack.inTransit || pack.state === 'in_transit' || pack.topState === 'in_transit') {
    if (status === 'active') status = 'in_transit';
    reasons.push(reason('IN_TRANSIT', 'This pack is in transit: it was shipped and has not been received yet; receive the shipment first.'));
  }
  if (facts.cloneAlert !== null) {
    reasons.push(reason('SUSPECTED_CLONE', `This serial was scanned in places or at times one pack cannot be (alert ${facts.cloneAlert.id}): the pack may be a copy; do not use it, keep it aside and report it.`));
  }
  const expiresOn = pack.batch?.expiresOn ?? null;
  if (expiresOn !== null && expiresOn < facts.today && !seen.has('EXPIRED')) {
    if (status === 'active') status = 'expired';
    reasons.push(reason('EXPIRED', labelTrusted ? `This pack expired on ${expiresOn}: it must not be supplied.` : 'This pack has expired: it must not be supplied.'));
  }

  const verdict: PackVerdict = {
    fitToDispense: reasons.length === 0,
    status,
    reasons,
    product,
    pack: { id: pack.id, state: status, custodianId: pack.custodianId },
    ...base,
  };
  if (labelTrusted && pack.batch !== null) verdict.batch = pack.batch;
  if (facts.recall !== null && labelTrusted) verdict.recall = facts.recall;
  return verdict;
}
