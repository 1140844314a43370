// The demo supply chain, driven through the SDK by each participant with its own key: an ingredient lot
// from the supplier, an insulin product and batch at the manufacturer, packs in cases on pallets, and
// shipments down to two pharmacies. Seeded once (skipped when the demo product exists).
import { createHash } from 'node:crypto';
import { gs1CheckDigit, withSsccCheckDigit } from '@pharmatrace/gs1';
import { batchAssetId, packAssetId, productAssetId } from '@pharmatrace/custody/custody-events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  addKey, commissionPacks, generateKeyFile, KeyFile, keySpecOf, pack, PharmaTraceClient, readKeyFile, ReadingInput, receive, recordReadings,
  registerBatch, registerIngredientLot, registerProduct, ship, unpack, writeKeyFile,
} from '@pharmatrace/sdk';
import { DEMO_PARTICIPANTS, keyFor } from './demo-network';

const body = '0506000000001';
export const DEMO_GTIN = `${body}${gs1CheckDigit(body)}`;
export const DEMO_LOT = 'INS-2026-001';
const sscc = (n: number) => `sscc:${withSsccCheckDigit(`15060000000${String(n).padStart(6, '0')}`)}`;

export interface DemoCustody {
  batch: string;
  /** A pack that went all the way to a pharmacy (its QR code is the one to open). */
  pharmacyPack: string;
  /** Shipments that travelled, for temperature logs. */
  shipments: string[];
  /** The shipment whose logger recorded an excursion: the worker quarantines its goods. */
  excursionShipment: string;
}

/** Hourly readings over the last `hours` hours, from a temperature profile. */
function hourly(hours: number, celsius: (hour: number) => number): ReadingInput[] {
  const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - hours * 3_600_000;
  return Array.from({ length: hours }, (_, h) => ({ at: new Date(start + h * 3_600_000), celsius: celsius(h) }));
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

  const certificate = createHash('sha256').update('Certificate of origin INS-API-2026-07, Andes Chamber of Commerce').digest('hex');
  const { id: lot } = await registerIngredientLot(supplier, {
    number: 'INS-API-2026-07',
    material: 'insulin glargine (active pharmaceutical ingredient)',
    quantity: 2.4,
    unit: 'kg',
    certificate: { sha256: certificate, issuer: 'Andes Chamber of Commerce', countryOfOrigin: 'CL', issuedOn: '2026-06-02' },
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
  await registerBatch(maker, { gtin: DEMO_GTIN, lot: DEMO_LOT, manufacturedOn: '2026-09-15', expiresOn: '2028-09-14', quantity: 400 }, [lot]);
  const batch = batchAssetId(DEMO_GTIN, DEMO_LOT);
  const { serials } = await commissionPacks(maker, batch, 200);
  const packs = serials.map((s) => packAssetId(DEMO_GTIN, s));

  const cases = [1, 2, 3, 4].map(sscc);
  for (let i = 0; i < 4; i++) await pack(maker, { id: cases[i], kind: 'case' }, packs.slice(i * 50, (i + 1) * 50), { newContainer: true });
  const [pallet1, pallet2] = [sscc(101), sscc(102)];
  await pack(maker, { id: pallet1, kind: 'pallet' }, cases.slice(0, 2), { newContainer: true });
  await pack(maker, { id: pallet2, kind: 'pallet' }, cases.slice(2), { newContainer: true });

  const toWholesaler = await ship(maker, wholesaler.participantId, [pallet1]);
  await receive(wholesaler, toWholesaler.shipment);
  await unpack(wholesaler, pallet1, cases.slice(0, 2));
  const toCentral = await ship(wholesaler, central.participantId, [cases[0]]);
  await receive(central, toCentral.shipment);
  const toHarbour = await ship(wholesaler, harbour.participantId, [cases[1]]);
  await receive(harbour, toHarbour.shipment);

  // Temperature logs: within 2–8 °C on the way to Central Square; four hours at 14–16 °C on the way to
  // Harbour Road (the policy allows 60 minutes out of range), which the worker turns into a quarantine.
  const logger = await loggerOf(wholesaler, keysDir);
  await recordReadings(logger, toWholesaler.shipment, hourly(24, (h) => 4.5 + (h % 5) * 0.3));
  await recordReadings(logger, toCentral.shipment, hourly(12, (h) => 5 + (h % 3) * 0.5));
  await recordReadings(logger, toHarbour.shipment, hourly(12, (h) => (h >= 4 && h < 8 ? 14 + (h % 2) * 2 : 5)));
  return {
    batch,
    pharmacyPack: packs[0],
    shipments: [toWholesaler.shipment, toCentral.shipment, toHarbour.shipment],
    excursionShipment: toHarbour.shipment,
  };
}
