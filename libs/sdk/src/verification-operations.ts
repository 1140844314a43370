// Verifying a pack without dispensing it, as a pharmacy's counter system (or any custodian, or a regulator)
// does: the scanner's text or the four fields typed from the label in, one verdict out.
import type { PackStatus, VerdictBatch, VerdictProduct, VerdictReason, VerdictRecall } from '@pharmatrace/verification/pack-verdict';
import { PharmaTraceClient } from './pharmatrace-client';

export type { PackStatus, VerdictBatch, VerdictProduct, VerdictReason, VerdictReasonCode, VerdictRecall } from '@pharmatrace/verification/pack-verdict';

/** A pack's identifiers typed from the label. */
export interface PackFields {
  gtin: string;
  serial: string;
  lot?: string | null;
  expiry?: string | null;
}

/** The verdict as the API answers it (absent parts are null). */
export interface PackVerdictView {
  fitToDispense: boolean;
  status: PackStatus;
  reasons: VerdictReason[];
  scanned: { gtin: string; serial: string; lot: string | null; expiry: string | null };
  checkedAt: string;
  product: VerdictProduct | null;
  batch: VerdictBatch | null;
  /** custodianId is null unless the caller holds the pack or is a regulator. */
  pack: { id: string; state: PackStatus; custodianId: string | null } | null;
  /** The recall the pack's batch is in (class, reason, instructions), or null. */
  recall: VerdictRecall | null;
}

export const PACK_VERDICT_FIELDS =
  'fitToDispense status reasons { code message emvs nmvs } scanned { gtin serial lot expiry } checkedAt ' +
  'product { gtin name activeIngredient strength form manufacturerId manufacturerName } batch { lot expiresOn } pack { id state custodianId } ' +
  'recall { id class reason instructions notifyPatients initiatedAt }';

/**
 * The verdict on a pack: `scanOrFields` is the scanner's text (GS1 element string, with or without a
 * symbology identifier, or a Digital Link URI) or the fields typed from the label. An unreadable scan is
 * refused (PharmaTraceApiError with INVALID_SCAN, INVALID_GTIN, INVALID_SERIAL, INVALID_LOT or INVALID_EXPIRY).
 */
export async function verifyPack(client: PharmaTraceClient, scanOrFields: string | PackFields): Promise<PackVerdictView> {
  const variables =
    typeof scanOrFields === 'string'
      ? { s: scanOrFields, f: null }
      : { s: null, f: { gtin: scanOrFields.gtin, serial: scanOrFields.serial, lot: scanOrFields.lot ?? null, expiry: scanOrFields.expiry ?? null } };
  const r = await client.query<{ verifyPack: PackVerdictView }>(
    `query($s: String, $f: PackFieldsInput) { verifyPack(scan: $s, fields: $f) { ${PACK_VERDICT_FIELDS} } }`,
    variables,
  );
  return r.verifyPack;
}
