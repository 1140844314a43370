// Seeds the demo network through the SDK, the way real participants would join: each participant's
// private key is written to the operator's demo-keys folder, never to the server. The demo regulator then
// renews one licence that was about to lapse (participant.licence_renewed).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SignedEvent } from '@pharmatrace/ledger-core';
import { withGlnCheckDigit } from '@pharmatrace/gs1';
import type { ParticipantRole } from '@pharmatrace/ledger/participant-roles';
import type { Licence } from '@pharmatrace/participants/participant-events';
import { generateKeyFile, genesisEvent, keySpecOf, KeyFile, PharmaTraceClient, readKeyFile, registerParticipant, renewLicence, writeKeyFile } from '@pharmatrace/sdk';
import { shiftDate, utcToday } from './demo-dates';

export interface DemoParticipant {
  id: string;
  legalName: string;
  role: ParticipantRole;
  glnBody: string;
  /** Where it operates (shown on the patient page's journey). */
  town?: string;
}

export const DEMO_REGULATOR: DemoParticipant = { id: 'demo-regulator', legalName: 'National Medicines Agency (demo)', role: 'regulator', glnBody: '500000000001' };

export const DEMO_PARTICIPANTS: DemoParticipant[] = [
  { id: 'demo-supplier', legalName: 'Andes Active Ingredients S.A. (demo)', role: 'supplier', glnBody: '500000000002', town: 'Valparaíso' },
  { id: 'demo-manufacturer', legalName: 'Helix Pharma GmbH (demo)', role: 'manufacturer', glnBody: '500000000003', town: 'Mannheim' },
  { id: 'demo-wholesaler', legalName: 'Northline Distribution Ltd (demo)', role: 'wholesaler', glnBody: '500000000004', town: 'Leeds' },
  { id: 'demo-pharmacy-central', legalName: 'Central Square Pharmacy (demo)', role: 'pharmacy', glnBody: '500000000005', town: 'York' },
  { id: 'demo-pharmacy-harbour', legalName: 'Harbour Road Pharmacy (demo)', role: 'pharmacy', glnBody: '500000000006', town: 'Hull' },
  { id: 'demo-prescriber', legalName: 'Dr. A. Rivera, General Practice (demo)', role: 'prescriber', glnBody: '500000000007', town: 'York' },
];

/** The participant whose licence, due to lapse within the month, the demo regulator renews. */
export const DEMO_RENEWED_PARTICIPANT = 'demo-pharmacy-harbour';

/**
 * The licence a demo participant is registered with, dated from `today`: five years, except Harbour Road's,
 * which lapses in 30 days (and is renewed at once, see demoLicenceRenewal).
 */
export function demoLicence(p: DemoParticipant, today: string = utcToday()): Licence {
  const number = `LIC-${p.id.toUpperCase()}`;
  return p.id === DEMO_RENEWED_PARTICIPANT ? { number, expiresOn: shiftDate(today, { days: 30 }) } : { number, expiresOn: shiftDate(today, { years: 5 }) };
}

/** The renewal of Harbour Road's licence: a new number, running five years past the expiry it replaces. */
export function demoLicenceRenewal(today: string = utcToday()): { participant: string; previous: Licence; licence: Licence } {
  const p = DEMO_PARTICIPANTS.find((x) => x.id === DEMO_RENEWED_PARTICIPANT) as DemoParticipant;
  const previous = demoLicence(p, today);
  return { participant: p.id, previous, licence: { number: `${previous.number}-R1`, expiresOn: shiftDate(previous.expiresOn, { years: 5 }) } };
}

export function keyFor(keysDir: string, p: DemoParticipant): KeyFile {
  const path = join(keysDir, `${p.id}.json`);
  if (existsSync(path)) return readKeyFile(path);
  const key = generateKeyFile(`${p.legalName} operator`, 'operator', p.id);
  writeKeyFile(path, key);
  return key;
}

/** The genesis event of the demo regulator; the caller submits it to the pipeline directly. */
export function demoGenesis(keysDir: string): SignedEvent {
  mkdirSync(keysDir, { recursive: true });
  const key = keyFor(keysDir, DEMO_REGULATOR);
  return genesisEvent(key, { id: DEMO_REGULATOR.id, legalName: DEMO_REGULATOR.legalName, gln: withGlnCheckDigit(DEMO_REGULATOR.glnBody), licence: demoLicence(DEMO_REGULATOR) });
}

/**
 * Registers the rest of the demo network through the API as the demo regulator, and renews the licence of
 * DEMO_RENEWED_PARTICIPANT while it still holds its first one. Idempotent; returns the participants created.
 */
export async function seedDemoParticipants(baseUrl: string, keysDir: string): Promise<string[]> {
  const regulator = new PharmaTraceClient(baseUrl, keyFor(keysDir, DEMO_REGULATOR));
  const today = utcToday();
  const created: string[] = [];
  for (const p of DEMO_PARTICIPANTS) {
    if (await regulator.participant(p.id)) continue;
    const key = keyFor(keysDir, p);
    await registerParticipant(regulator, {
      id: p.id,
      legalName: p.legalName,
      role: p.role,
      gln: withGlnCheckDigit(p.glnBody),
      ...(p.town !== undefined ? { town: p.town } : {}),
      licence: demoLicence(p, today),
      keys: [keySpecOf(key)],
    });
    created.push(p.id);
  }
  // The regulator's licence-renewal journey: Harbour Road's licence would lapse within the month.
  const renewal = demoLicenceRenewal(today);
  const holder = await regulator.participant(renewal.participant);
  if (holder && holder.licenceNumber === renewal.previous.number) await renewLicence(regulator, renewal.participant, renewal.licence);
  return created;
}
