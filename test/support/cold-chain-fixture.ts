// Goods and temperature logs for the cold-chain suite, made through the SDK the way participants make
// them: products with an excursion policy, packs commissioned and palletised, pallets delivered, loggers
// registered as keys of their owner, and reading series with known answers.
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { commissionPacks, generateKeyFile, keySpecOf, addKey, pack, PharmaTraceClient, ProductSpec, ReadingInput, receive, registerBatch, registerProduct, ship } from '@pharmatrace/sdk';
import { newGtin, newSscc, productSpec } from './custody-fixture';

let lots = 0;

/** Registers a product (by default 2–8 °C, 60 min out of range, MKT ≤ 8 °C) and a batch of it. */
export async function coldProduct(maker: PharmaTraceClient, overrides: Partial<ProductSpec> = {}): Promise<{ gtin: string; batch: string }> {
  const gtin = newGtin();
  await registerProduct(maker, productSpec(gtin, overrides));
  const { id } = await registerBatch(maker, { gtin, lot: `CC${Date.now() % 1e6}${lots++}`, quantity: 1000, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' });
  return { gtin, batch: id };
}

/** Commissions `count` packs of the batch and packs them on a new pallet. */
export async function palletOf(maker: PharmaTraceClient, batch: string, count = 4): Promise<{ pallet: string; packs: string[] }> {
  const { serials } = await commissionPacks(maker, batch, count);
  const gtin = batch.slice('batch:'.length, 'batch:'.length + 14);
  const packs = serials.map((s) => packAssetId(gtin, s));
  const pallet = newSscc();
  await pack(maker, { id: pallet, kind: 'pallet' }, packs, { newContainer: true });
  return { pallet, packs };
}

/** A pallet of the batch shipped by the maker and received by `to`. */
export async function deliveredPallet(maker: PharmaTraceClient, to: PharmaTraceClient, batch: string): Promise<{ pallet: string; packs: string[] }> {
  const goods = await palletOf(maker, batch);
  const { shipment } = await ship(maker, to.participantId, [goods.pallet]);
  await receive(to, shipment);
  return goods;
}

/** A logger device registered as a key of its owner; its readings are uploaded through the owner's session. */
export async function registerLogger(owner: PharmaTraceClient, kind: 'logger' | 'terminal' = 'logger'): Promise<PharmaTraceClient> {
  const key = generateKeyFile(`${owner.participantId} ${kind}`, kind, owner.participantId);
  await addKey(owner, owner.participantId, keySpecOf(key));
  return new PharmaTraceClient(owner.baseUrl, key);
}

/** Readings every `minutes`, the last one `endAgoSeconds` before now, whole seconds. */
export function readingsEvery(minutes: number, celsius: number[], endAgoSeconds = 5): ReadingInput[] {
  const end = Math.floor(Date.now() / 1000) * 1000 - endAgoSeconds * 1000;
  const first = end - (celsius.length - 1) * minutes * 60_000;
  return celsius.map((c, i) => ({ at: new Date(first + i * minutes * 60_000), celsius: c }));
}

export const repeat = (celsius: number, times: number): number[] => Array<number>(times).fill(celsius);
