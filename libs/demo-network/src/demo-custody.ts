// The demo supply chain, driven through the SDK by each participant with its own key: an ingredient lot
// from the supplier, an insulin product and batch at the manufacturer, packs in cases on pallets, and
// shipments down to two pharmacies — one of them first sent to the wrong pharmacy and voided by the
// wholesaler (CBV void_shipping) — with the wholesaler's logger recording temperatures in transit, one
// shipment with an excursion the worker quarantines. Seeded once (skipped when the demo product exists).
//
// Temperature readings count only inside the custody window (a shipment's between its shipping and its
// receipt), and custody windows open at real server times: the logger's readings are taken a second apart
// in the seconds after each shipping, the goods are received once they have been taken, and the logger is
// read out at the dock. Seeding waits for them, a few seconds in all.
import { createHash } from 'node:crypto';
import { gs1CheckDigit, withSsccCheckDigit } from '@pharmatrace/gs1';
import { batchAssetId, packAssetId, productAssetId } from '@pharmatrace/custody/custody-events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  addKey, commissionPacks, generateKeyFile, KeyFile, keySpecOf, pack, PharmaTraceClient, readKeyFile, ReadingInput, receive, recordReadings,
  registerBatch, registerIngredientLot, registerProduct, ship, temperatureHistory, unpack, voidShipment, writeKeyFile,
} from '@pharmatrace/sdk';
import { shiftDate, utcToday } from './demo-dates';
import { DEMO_PARTICIPANTS, keyFor } from './demo-network';

const body = '0506000000001';
export const DEMO_GTIN = `${body}${gs1CheckDigit(body)}`;
export const DEMO_LOT = 'INS-2026-001';
const sscc = (n: number) => `sscc:${withSsccCheckDigit(`15060000000${String(n).padStart(6, '0')}`)}`;

export interface DemoCustody {
  batch: string;
  /** The batch's expiry date, YYYY-MM-DD. */
  expiresOn: string;
  /** A pack that went all the way to a pharmacy (its QR code is the one to open). */
  pharmacyPack: string;
  /** More packs of Central Square's case (after pharmacyPack), for the dispensing journeys. */
  centralPacks: string[];
  /**
   * Shipments that travelled with the wholesaler's logger and were received, for temperature logs: the pallet
   * to the wholesaler, then its cases to Central Square and to Harbour Road.
   */
  shipments: string[];
  /** The shipment whose logger recorded an excursion: the worker quarantines its goods (and nothing else). */
  excursionShipment: string;
  /** A pack in the case that travelled on excursionShipment (quarantined once the worker judged the readings). */
  quarantinedPack: string;
  /** The wholesaler's shipment to the wrong pharmacy, voided; its goods went on in excursionShipment. */
  voidedShipment: string;
}

/**
 * What a logger travelling with goods shipped at `shippedAt` (ms since the epoch, read once the shipping
 * was accepted) records: readings one second apart, the first a second later, so all inside the transit.
 */
function readingsInTransit(shippedAt: number, celsius: number[]): ReadingInput[] {
  return celsius.map((c, i) => ({ at: new Date(shippedAt + (i + 1) * 1000), celsius: c }));
}

/**
 * Waits until every reading has been taken, with a margin, so that the receipt that closes the transit
 * comes after them (readings may not be in the future, and count only before the receipt).
 */
async function taken(readings: ReadingInput[]): Promise<void> {
  const last = Math.max(...readings.map((r) => new Date(r.at).getTime()));
  const wait = last + 200 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/**
 * The worker's verdict on a subject's latest readings, once it has judged them; null when it has not within
 * `timeoutMs` (no worker running: seeding goes on, the verdict comes when one runs).
 */
async function verdictOf(client: PharmaTraceClient, subject: string, timeoutMs = 10_000): Promise<string | null> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const h = await temperatureHistory(client, subject, { first: 0 });
    if (!h.evaluationPending && h.evaluations.length > 0) return h.verdict;
  }
  return null;
}

/** The wholesaler's cold-room logger: a key of its own, registered by the wholesaler. */
async function loggerOf(owner: PharmaTraceClient, keysDir: string): Promise<PharmaTraceClient> {
  const path = join(keysDir, `${owner.participantId}-logger.json`);
  let key: KeyFile;
  if (existsSync(path)) key = readKeyFile(path);
  else {
    key = generateKeyFile('cold-room logger 1', 'logger', owner.participantId);
    await addKey(owner, owner.participantId, keySpecOf(key));
    writeKeyFile(path, key);
  }
  return new PharmaTraceClient(owner.baseUrl, key);
}

export async function seedDemoCustody(baseUrl: string, keysDir: string): Promise<DemoCustody | null> {
  const client = (id: string) => {
    const p = DEMO_PARTICIPANTS.find((x) => x.id === id);
    if (!p) throw new Error(`no demo participant ${id}`);
    return new PharmaTraceClient(baseUrl, keyFor(keysDir, p));
  };
  const [supplier, maker, wholesaler, central, harbour] = ['demo-supplier', 'demo-manufacturer', 'demo-wholesaler', 'demo-pharmacy-central', 'demo-pharmacy-harbour'].map(client);
  if (await maker.assetHead(productAssetId(DEMO_GTIN))) return null;

  // Dated from today: made two months ago with a two-year shelf life, from an ingredient certified before.
  const manufacturedOn = shiftDate(utcToday(), { months: -2 });
  const expiresOn = shiftDate(manufacturedOn, { years: 2 });
  const certificate = createHash('sha256').update('Certificate of origin INS-API-2026-07, Andes Chamber of Commerce').digest('hex');
  const { id: lot } = await registerIngredientLot(supplier, {
    number: 'INS-API-2026-07',
    material: 'insulin glargine (active pharmaceutical ingredient)',
    quantity: 2.4,
    unit: 'kg',
    certificate: { sha256: certificate, issuer: 'Andes Chamber of Commerce', countryOfOrigin: 'CL', issuedOn: shiftDate(manufacturedOn, { months: -2 }) },
  });
  const toMaker = await ship(supplier, maker.participantId, [lot]);
  await receive(maker, toMaker.shipment);

  await registerProduct(maker, {
    gtin: DEMO_GTIN,
    name: 'Glargex 100 U/mL pre-filled pen',
    activeIngredient: 'insulin glargine',
    strength: '100 U/mL',
    form: 'solution for injection in pre-filled pen',
    storage: { minC: 2, maxC: 8 },
    excursionPolicy: { maxMinutesOutOfRange: 60, maxMktC: 8 },
    controlledClass: 'none',
  });
  await registerBatch(maker, { gtin: DEMO_GTIN, lot: DEMO_LOT, manufacturedOn, expiresOn, quantity: 400 }, [lot]);
  const batch = batchAssetId(DEMO_GTIN, DEMO_LOT);
  const { serials } = await commissionPacks(maker, batch, 200);
  const packs = serials.map((s) => packAssetId(DEMO_GTIN, s));

  const cases = [1, 2, 3, 4].map(sscc);
  for (let i = 0; i < 4; i++) await pack(maker, { id: cases[i], kind: 'case' }, packs.slice(i * 50, (i + 1) * 50), { newContainer: true });
  const [pallet1, pallet2] = [sscc(101), sscc(102)];
  await pack(maker, { id: pallet1, kind: 'pallet' }, cases.slice(0, 2), { newContainer: true });
  await pack(maker, { id: pallet2, kind: 'pallet' }, cases.slice(2), { newContainer: true });

  // The wholesaler's cold-room logger travels with the goods and is read out on arrival.
  const logger = await loggerOf(wholesaler, keysDir);

  // Helix to Northline: in range all the way (2–8 °C).
  const toWholesaler = await ship(maker, wholesaler.participantId, [pallet1]);
  const wholesalerLeg = readingsInTransit(Date.now(), [4.8, 5.2]);
  await taken(wholesalerLeg);
  await receive(wholesaler, toWholesaler.shipment);
  await recordReadings(logger, toWholesaler.shipment, wholesalerLeg);
  // Goods-in checks the logger's verdict on the pallet before breaking it down (once unpacked, the empty
  // pallet holds no product to judge; the cases carry these readings on in their own series).
  await verdictOf(wholesaler, toWholesaler.shipment);
  await unpack(wholesaler, pallet1, cases.slice(0, 2));

  // Harbour Road's case goes to Central Square by mistake; Northline voids the shipment while it is still
  // in transit (the case is back in its custody) and ships it to the right pharmacy.
  const misaddressed = await ship(wholesaler, central.participantId, [cases[1]]);
  await voidShipment(wholesaler, misaddressed.shipment, `Addressed to Central Square Pharmacy by mistake: case ${cases[1]} is Harbour Road Pharmacy's order.`);
  const toCentral = await ship(wholesaler, central.participantId, [cases[0]]);
  const toHarbour = await ship(wholesaler, harbour.participantId, [cases[1]]);

  // In range on the way to Central Square; on the way to Harbour Road the van's cooling fails and the case
  // warms to 25 °C: the mean kinetic temperature over the case's life (both legs it travelled with a logger)
  // breaks the product's 8 °C limit, and the worker quarantines the case (and so the packs in it) once the
  // logger's readings are uploaded. Central Square's case, which travelled the same first leg, stays active.
  const shippedAt = Date.now();
  const centralLeg = readingsInTransit(shippedAt, [5.6, 6.0, 5.8]);
  const harbourLeg = readingsInTransit(shippedAt, [16, 25, 24]);
  await taken([...centralLeg, ...harbourLeg]);
  await receive(central, toCentral.shipment);
  await receive(harbour, toHarbour.shipment);
  await recordReadings(logger, toCentral.shipment, centralLeg);
  await recordReadings(logger, toHarbour.shipment, harbourLeg);
  return {
    batch,
    expiresOn,
    pharmacyPack: packs[0],
    centralPacks: packs.slice(1, 6),
    shipments: [toWholesaler.shipment, toCentral.shipment, toHarbour.shipment],
    excursionShipment: toHarbour.shipment,
    quarantinedPack: packs[50],
    voidedShipment: misaddressed.shipment,
  };
}
