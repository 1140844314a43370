// What every decommission checks of its packs, inside the pipeline's transaction: each is a pack, in the
// signer's custody (directly or inside a case or pallet it holds), and fit to hand on — the last judged by
// the one verdict every scan gets (libs/verification/src/pack-verdict.ts), so that the counter scan and
// the dispense can never disagree. Then the shared effects: out of its container, into its new state.
import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '@pharmatrace/errors';
import { EffectiveItem, ItemState, requireItems, setState } from '@pharmatrace/custody/custody-item.store';
import { parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import { decidePackVerdict, VerdictBatch, VerdictProduct, VerdictReasonCode } from '@pharmatrace/verification/pack-verdict';
import { recallNoticesOfBatches } from '@pharmatrace/recalls/recall-facts';
import type { ScannedPackFields } from './dispensing-events';

/** The error code a verdict reason refuses a decommission with: the reason's own name. */
const REFUSAL: Record<VerdictReasonCode, ErrorCode> = {
  UNKNOWN_PRODUCT: 'UNKNOWN_PRODUCT',
  UNKNOWN_BATCH: 'UNKNOWN_BATCH',
  UNKNOWN_SERIAL: 'UNKNOWN_ITEM',
  // Raised when a dispense carries what was scanned (a decommission scans nothing: the pack's own lot and expiry are judged).
  BATCH_MISMATCH: 'BATCH_MISMATCH',
  EXPIRY_MISMATCH: 'EXPIRY_MISMATCH',
  EXPIRED: 'EXPIRED',
  RECALLED: 'RECALLED',
  QUARANTINED: 'QUARANTINED',
  ALREADY_SUPPLIED: 'ALREADY_SUPPLIED',
  DESTROYED: 'DESTROYED',
  STOLEN: 'STOLEN',
  LOCKED: 'LOCKED',
  EXPORTED: 'EXPORTED',
  SAMPLE: 'SAMPLE',
  FREE_SAMPLE: 'FREE_SAMPLE',
  LOST: 'LOST',
  IN_TRANSIT: 'IN_TRANSIT',
  SUSPECTED_CLONE: 'SUSPECTED_CLONE',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
};

export interface PackProduct extends VerdictProduct {
  controlledClass: string;
}

export interface CheckedPack {
  item: EffectiveItem;
  product: PackProduct;
}

/**
 * Each id is a distinct pack the signer holds, fit to hand on today; refused with the first problem's own code.
 * `scanned` (parallel to `ids`, when given) is the lot and expiry each pack's code carried: judged like the
 * counter scan, so a lot or expiry that is not the pack's refuses it (BATCH_MISMATCH, EXPIRY_MISMATCH, UNKNOWN_BATCH).
 */
export async function requireFitPacks(
  m: EntityManager,
  ids: string[],
  signerId: string,
  today: string,
  now: Date,
  scanned?: ScannedPackFields[],
): Promise<CheckedPack[]> {
  const items = await requireItems(m, ids);
  const products = await productsOf(m, items);
  const scanOf = new Map(ids.map((id, i) => [id, scanned?.[i] ?? { lot: null, expiry: null }]));
  const batches = await scannedBatchesOf(m, items, scanOf);
  // The recall of each pack's batch: a recalled pack is refused with the recall's class and instructions.
  const recalls = await recallNoticesOfBatches(m, items.map((i) => i.batchId).filter((b): b is string => b !== null));
  return items.map((item) => {
    if (item.kind !== 'pack') throw new DomainError('INVALID_EVENT_DATA', `${item.id} is a ${item.kind.replace('_', ' ')}, not a pack; name the packs themselves.`, { item: item.id });
    if (item.custodianId !== signerId) {
      throw new DomainError('NOT_IN_CUSTODY', `${item.id} is not in your custody (neither directly nor in a case or pallet you hold); only a pack you hold can be decommissioned.`, { item: item.id });
    }
    const product = products.get(item.gtin ?? '');
    const lot = item.batchId ? parseBatchAssetId(item.batchId)?.lot ?? null : null;
    const serial = item.id.slice(`sgtin:${item.gtin}.`.length);
    const scan = scanOf.get(item.id) ?? { lot: null, expiry: null };
    const verdict = decidePackVerdict(
      {
        scanned: { gtin: item.gtin ?? '', serial, lot: scan.lot, expiry: scan.expiry },
        today,
        product: product ?? null,
        scannedBatch: scan.lot === null ? null : batches.get(`${item.gtin}\u0000${scan.lot}`) ?? null,
        pack: {
          id: item.id,
          state: item.state,
          topState: item.topState,
          inTransit: item.inTransitOn !== null,
          custodianId: item.custodianId,
          batch: lot !== null && item.expiresOn !== null ? { lot, expiresOn: item.expiresOn } : null,
        },
        scannedBy: signerId,
        recall: (item.batchId === null ? undefined : recalls.get(item.batchId)) ?? null,
        // Clone alerts come from public scans after supply; the pharmacy holding an active pack is judged by custody.
        cloneAlert: null,
        labelSignature: 'absent',
      },
      now.toISOString(),
    );
    const first = verdict.reasons[0];
    if (first) throw new DomainError(REFUSAL[first.code], `${item.id}: ${first.message}`, { item: item.id, reason: first.code });
    return { item, product: product! };
  });
}

/** The batches registered for each scanned (GTIN, lot), keyed `gtin\0lot`. */
async function scannedBatchesOf(m: EntityManager, items: EffectiveItem[], scanOf: Map<string, ScannedPackFields>): Promise<Map<string, VerdictBatch>> {
  const pairs = items.flatMap((i) => {
    const lot = scanOf.get(i.id)?.lot ?? null;
    return lot !== null && i.gtin !== null ? [{ gtin: i.gtin, lot }] : [];
  });
  if (pairs.length === 0) return new Map();
  const rows: Array<{ gtin: string; lot: string; expiresOn: string }> = await m.query(
    `SELECT b.gtin, b.lot, to_char(b.expires_on, 'YYYY-MM-DD') AS "expiresOn"
       FROM batches b JOIN unnest($1::text[], $2::text[]) AS s(gtin, lot) ON s.gtin = b.gtin AND s.lot = b.lot`,
    [pairs.map((p) => p.gtin), pairs.map((p) => p.lot)],
  );
  return new Map(rows.map((r) => [`${r.gtin}\u0000${r.lot}`, { lot: r.lot, expiresOn: r.expiresOn }]));
}

async function productsOf(m: EntityManager, items: EffectiveItem[]): Promise<Map<string, PackProduct>> {
  const gtins = [...new Set(items.map((i) => i.gtin).filter((g): g is string => g !== null))];
  if (gtins.length === 0) return new Map();
  const rows: PackProduct[] = await m.query(
    `SELECT pr.gtin, pr.name, pr.active_ingredient AS "activeIngredient", pr.strength, pr.form, pr.manufacturer_id AS "manufacturerId",
            p.legal_name AS "manufacturerName", pr.controlled_class AS "controlledClass"
       FROM products pr JOIN participants p ON p.id = pr.manufacturer_id WHERE pr.gtin = ANY($1::text[])`,
    [gtins],
  );
  return new Map(rows.map((r) => [r.gtin, r]));
}

/**
 * The packs leave every container they sit in (a pack dispensed from a case the pharmacy holds is taken out
 * of it by the dispense: its containment closes) and take their new state.
 */
export async function decommissionPacks(m: EntityManager, items: EffectiveItem[], signerId: string, state: ItemState, reason: string | null, seq: number): Promise<void> {
  const packed = items.filter((i) => i.parentId !== null).map((i) => i.id);
  if (packed.length > 0) {
    await m.query('UPDATE custody_items SET parent_id = NULL, custodian_id = $2, updated_seq = $3 WHERE id = ANY($1::text[])', [packed, signerId, seq]);
    await m.query('UPDATE containment_log SET to_seq = $2 WHERE child_id = ANY($1::text[]) AND to_seq IS NULL', [packed, seq]);
  }
  await setState(m, items.map((i) => i.id), state, reason, seq);
}

/** Remembers what a decommission did, so that an undo can find it, its signer, its packs and its time. */
export async function recordDecommission(
  m: EntityManager,
  d: { hash: string; seq: number; participantId: string; kind: string; packs: string[]; prescriptionId: string | null; at: Date },
): Promise<void> {
  await m.query(
    `INSERT INTO decommissions (event_hash, seq, participant_id, kind, prescription_id, at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [d.hash, d.seq, d.participantId, d.kind, d.prescriptionId, d.at],
  );
  await m.query('INSERT INTO decommissioned_packs (event_hash, pack_id) SELECT $1, unnest($2::text[])', [d.hash, d.packs]);
}
