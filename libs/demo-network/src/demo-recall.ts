// The demo's recall, through the SDK: Helix makes a second Glargex batch from the same insulin lot, and a
// case of it travels via Northline to Central Square, whose system listens for recall webhooks. The demo
// regulator recalls that batch (class II); the worker tells every holder once (Helix, which made it and
// holds the rest, Northline, which handled it, and Central Square, which holds the case), and POSTs
// Central Square's notification to its webhook, signed with the ledger's key. Central Square acknowledges
// (signed) and ships the case back to Helix, which receives it and destroys it. Seeded once, after the
// dispensing journeys, so the first batch and its QR code stay genuine.
import { withSsccCheckDigit } from '@pharmatrace/gs1';
import { batchAssetId, ingredientLotAssetId, packAssetId } from '@pharmatrace/custody/custody-events';
import {
  acknowledgeRecall, commissionPacks, initiateRecall, myRecallNotifications, pack, PharmaTraceClient, receive, registerBatch, registerWebhook,
  reportDisposal, ship,
} from '@pharmatrace/sdk';
import { DEMO_GTIN } from './demo-custody';
import { shiftDate, utcToday } from './demo-dates';
import { DEMO_PARTICIPANTS, DEMO_REGULATOR, keyFor } from './demo-network';

export const DEMO_RECALL_LOT = 'INS-2026-002';
/** The demo insulin lot (registered by the supplier in seedDemoCustody): both demo batches consumed it. */
export const DEMO_INGREDIENT_LOT = ingredientLotAssetId('demo-supplier', 'INS-API-2026-07');
/** The pharmacy whose system receives recall webhooks in the demo. */
export const DEMO_WEBHOOK_PARTICIPANT = 'demo-pharmacy-central';

export interface DemoRecall {
  recall: string;
  batch: string;
  /** The recalled batch's expiry date, YYYY-MM-DD. */
  expiresOn: string;
  /** The case that went to Central Square, came back to Helix after the recall, and was destroyed there. */
  returnedCase: string;
  returnShipment: string;
  /** Packs of the batch still at Helix (recalled in its warehouse). */
  packsAtManufacturer: string[];
  /** Whether Central Square's notification arrived in time to acknowledge it during seeding. */
  acknowledged: boolean;
}

const RECALL_REASON = 'Sub-potent: assay at the 6-month stability test found 91 % of the labelled insulin content (specification 95–105 %).';
const RECALL_INSTRUCTIONS =
  'Stop supplying Glargex lot INS-2026-002 at once. Set stock aside, quarantined, and return it to Helix Pharma GmbH; pens already supplied need no action by patients.';

/** Points Central Square's recall webhook at `url` (on every start: the demo receiver's port changes). */
export async function registerDemoWebhook(baseUrl: string, keysDir: string, url: string): Promise<void> {
  const central = DEMO_PARTICIPANTS.find((p) => p.id === DEMO_WEBHOOK_PARTICIPANT)!;
  await registerWebhook(new PharmaTraceClient(baseUrl, keyFor(keysDir, central)), url);
}

async function notificationOf(client: PharmaTraceClient, recall: string, timeoutMs: number): Promise<{ revision: number } | null> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const found = (await myRecallNotifications(client, { first: 100 })).find((n) => n.recall === recall);
    if (found) return found;
  }
  return null;
}

export async function seedDemoRecall(baseUrl: string, keysDir: string): Promise<DemoRecall> {
  const client = (id: string) => new PharmaTraceClient(baseUrl, keyFor(keysDir, [DEMO_REGULATOR, ...DEMO_PARTICIPANTS].find((p) => p.id === id)!));
  const [regulator, maker, wholesaler, central] = ['demo-regulator', 'demo-manufacturer', 'demo-wholesaler', DEMO_WEBHOOK_PARTICIPANT].map(client);

  const manufacturedOn = shiftDate(utcToday(), { months: -1 });
  const expiresOn = shiftDate(manufacturedOn, { years: 2 });
  const { id: batch } = await registerBatch(maker, { gtin: DEMO_GTIN, lot: DEMO_RECALL_LOT, manufacturedOn, expiresOn, quantity: 60 }, [
    DEMO_INGREDIENT_LOT,
  ]);
  const { serials } = await commissionPacks(maker, batch, 24);
  const packs = serials.map((s) => packAssetId(DEMO_GTIN, s));
  const returnedCase = `sscc:${withSsccCheckDigit('15060000000000005')}`;
  await pack(maker, { id: returnedCase, kind: 'case' }, packs.slice(0, 12), { newContainer: true });
  const toWholesaler = await ship(maker, wholesaler.participantId, [returnedCase]);
  await receive(wholesaler, toWholesaler.shipment);
  const toCentral = await ship(wholesaler, central.participantId, [returnedCase]);
  await receive(central, toCentral.shipment);

  const { recall } = await initiateRecall(regulator, { class: 'II', reason: RECALL_REASON, instructions: RECALL_INSTRUCTIONS, notifyPatients: false, batches: [batch] });

  // Central Square's system acknowledges the notice (signed), then sends the case back to its manufacturer.
  const notice = await notificationOf(central, recall, 15_000);
  if (notice) await acknowledgeRecall(central, recall, notice.revision);
  const back = await ship(central, maker.participantId, [returnedCase]);
  await receive(maker, back.shipment);
  await reportDisposal(maker, 'destroyed', [returnedCase], `Returned under recall ${recall}; destroyed by incineration.`);
  return { recall, batch, expiresOn, returnedCase, returnShipment: back.shipment, packsAtManufacturer: packs.slice(12), acknowledged: notice !== null };
}
