// Goods and temperature logs for the cold-chain suite, made through the SDK the way participants make
// them: products with an excursion policy, packs commissioned and palletised, pallets delivered, loggers
// registered as keys of their owner, and reading series with known answers.
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { commissionPacks, generateKeyFile, keySpecOf, addKey, pack, PharmaTraceClient, ProductSpec, ReadingInput, Receipt, receive, registerBatch, registerProduct, ship } from '@pharmatrace/sdk';
import { newGtin, newSscc, productSpec } from './custody-fixture';
import type { TestServer } from './test-server';

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

/** A pallet of the batch shipped by the maker and received by `to` (`received`: the receipt of the receipt). */
export async function deliveredPallet(
  maker: PharmaTraceClient,
  to: PharmaTraceClient,
  batch: string,
): Promise<{ pallet: string; packs: string[]; shipment: string; received: Receipt }> {
  const goods = await palletOf(maker, batch);
  const { shipment } = await ship(maker, to.participantId, [goods.pallet]);
  const received = await receive(to, shipment);
  return { ...goods, shipment, received };
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

/**
 * Readings a whole number of seconds apart, the first `stepSeconds` after `from` (ms since the epoch): what a
 * logger records once goods are in a custody window that opened at `from`. Custody windows open at real
 * server times, so a test waits for its readings to be taken (see taken).
 */
export function readingsAfter(from: number, celsius: number[], stepSeconds = 1): ReadingInput[] {
  return celsius.map((c, i) => ({ at: new Date(from + (i + 1) * stepSeconds * 1000), celsius: c }));
}

/** Readings `stepSeconds` apart, the last taken at `end` (ms since the epoch): a logger's buffer read out then. */
export function readingsUntil(end: number, celsius: number[], stepSeconds = 1): ReadingInput[] {
  const first = end - (celsius.length - 1) * stepSeconds * 1000;
  return celsius.map((c, i) => ({ at: new Date(first + i * stepSeconds * 1000), celsius: c }));
}

export const timeOf = (r: ReadingInput): number => (r.at instanceof Date ? r.at.getTime() : Date.parse(r.at));

/** Waits until every reading has been taken (an upload may not report the future: READING_IN_FUTURE). */
export async function taken(readings: ReadingInput[]): Promise<ReadingInput[]> {
  const last = Math.max(...readings.map(timeOf));
  const wait = last - Date.now() + 20;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  return readings;
}

/** When the server accepted event `seq` (ms since the epoch): custody windows open and close at these times. */
export async function acceptedAt(server: TestServer, seq: number): Promise<number> {
  const rows: Array<{ received_at: Date }> = await server.runtime.dataSource.query('SELECT received_at FROM ledger_events WHERE seq = $1', [seq]);
  return new Date(rows[0].received_at).getTime();
}

export interface WindowedHistory {
  readingCount: number;
  excludedReadingCount: number;
  readings: Array<{ takenAt: string; celsius: number; counted: boolean }>;
}

/** What temperatureHistory says about the custody window: which readings count (every page of them), and how many do not. */
export async function windowedHistory(client: PharmaTraceClient, subject: string): Promise<WindowedHistory> {
  const page = 1000;
  const readings: WindowedHistory['readings'] = [];
  for (let after: string | null = null; ;) {
    const r: { temperatureHistory: WindowedHistory } = await client.query(
      'query($s: String!, $a: String, $f: Int) { temperatureHistory(subject: $s, after: $a, first: $f) { readingCount excludedReadingCount readings { takenAt celsius counted } } }',
      { s: subject, a: after, f: page },
    );
    const h = r.temperatureHistory;
    readings.push(...h.readings);
    if (h.readings.length < page) return { readingCount: h.readingCount, excludedReadingCount: h.excludedReadingCount, readings };
    after = h.readings[h.readings.length - 1].takenAt;
  }
}
