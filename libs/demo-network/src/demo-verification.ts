// The demo's verification journeys, through the SDK: Helix signs every label of both Glargex batches with
// its own key and registers the signatures (its label images and batch sheets are then served to it);
// Northline checks a pen it holds through the DSCSA verification responder with its VRS token, as a
// saleable return would be; and a falsified pen's code — a serial Helix never made — is scanned by a
// patient's phone: the worker raises an UNKNOWN_SERIAL alert to Helix and the regulator, who opens an
// investigation. Seeded once, after the other journeys.
import { randomUUID } from 'node:crypto';
import {
  issueVrsToken, PharmaTraceClient, resolvePackLink, signAndRegisterBatchLabels, updateVerificationAlert, verificationAlerts, vrsVerify, type AlertView,
  type VrsResponse,
} from '@pharmatrace/sdk';
import { formatPackDigitalLink, isoToGs1Date } from '@pharmatrace/gs1';
import { DEMO_GTIN, DEMO_LOT, type DemoCustody } from './demo-custody';
import { DEMO_RECALL_LOT } from './demo-recall';
import { DEMO_PARTICIPANTS, DEMO_REGULATOR, keyFor } from './demo-network';

/** The serial on the falsified pen's code (never commissioned). */
export const DEMO_FALSIFIED_SERIAL = 'FAKE0000000001';

export interface DemoVerification {
  /** Labels Helix signed and registered, both batches. */
  labelsRegistered: number;
  /** Northline's VRS token (shown once, as the SDK returned it) and the answer to its request. */
  vrs: { token: string; serial: string; answer: VrsResponse };
  /** The alert the falsified code raised, once the worker judged the scan (null if no worker ran in time). */
  alert: AlertView | null;
}

async function alertOn(client: PharmaTraceClient, serial: string, timeoutMs: number): Promise<AlertView | null> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const found = (await verificationAlerts(client, { gtin: DEMO_GTIN, first: 100 })).find((a) => a.serial === serial);
    if (found) return found;
  }
  return null;
}

export async function seedDemoVerification(baseUrl: string, keysDir: string, custody: DemoCustody): Promise<DemoVerification> {
  const client = (id: string) => new PharmaTraceClient(baseUrl, keyFor(keysDir, [DEMO_REGULATOR, ...DEMO_PARTICIPANTS].find((p) => p.id === id)!));
  const [regulator, maker, wholesaler] = ['demo-regulator', 'demo-manufacturer', 'demo-wholesaler'].map(client);

  let labelsRegistered = 0;
  for (const lot of [DEMO_LOT, DEMO_RECALL_LOT]) labelsRegistered += (await signAndRegisterBatchLabels(maker, DEMO_GTIN, lot)).total;

  // A pen Central Square offers back to Northline as a saleable return: before taking it back into stock,
  // Northline's VRS requester asks the manufacturer's responder whether the code is genuine.
  const serial = custody.centralPacks[4].slice(`sgtin:${DEMO_GTIN}.`.length);
  const { token } = await issueVrsToken(wholesaler, 'Northline returns desk');
  const answer = await vrsVerify(baseUrl, token, {
    gtin: DEMO_GTIN, lot: DEMO_LOT, serial, expiry: isoToGs1Date(custody.expiresOn), corrUUID: randomUUID(), context: 'dscsaSaleableReturn',
  });

  // A falsified pen: a genuine-looking code with a serial Helix never made, scanned by a patient's phone.
  const falsified = formatPackDigitalLink(baseUrl, { gtin: DEMO_GTIN, lot: DEMO_LOT, serial: DEMO_FALSIFIED_SERIAL, expiresOn: custody.expiresOn });
  await resolvePackLink(falsified, { region: 'GB-YOR', deviceId: 'demo-phone-0000000001' });
  const alert = await alertOn(regulator, DEMO_FALSIFIED_SERIAL, 15_000);
  if (alert && alert.status === 'new') {
    await updateVerificationAlert(regulator, alert.id, 'under_investigation', 'Falsified Glargex code reported by a patient in Yorkshire; inspectors asked to visit the pharmacies nearby.');
  }
  return { labelsRegistered, vrs: { token, serial, answer }, alert: alert ? await alertOn(regulator, DEMO_FALSIFIED_SERIAL, 1000) : null };
}
