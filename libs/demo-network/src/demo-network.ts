// Seeds the demo network through the SDK, the way real participants would join: each participant's
// private key is written to the operator's demo-keys folder, never to the server.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SignedEvent } from '@pharmatrace/ledger-core';
import { withGlnCheckDigit } from '@pharmatrace/gs1';
import type { ParticipantRole } from '@pharmatrace/ledger/participant-roles';
import { generateKeyFile, genesisEvent, keySpecOf, KeyFile, PharmaTraceClient, readKeyFile, registerParticipant, writeKeyFile } from '@pharmatrace/sdk';

export interface DemoParticipant {
  id: string;
  legalName: string;
  role: ParticipantRole;
  glnBody: string;
}

export const DEMO_REGULATOR: DemoParticipant = { id: 'demo-regulator', legalName: 'National Medicines Agency (demo)', role: 'regulator', glnBody: '500000000001' };

export const DEMO_PARTICIPANTS: DemoParticipant[] = [
  { id: 'demo-supplier', legalName: 'Andes Active Ingredients S.A. (demo)', role: 'supplier', glnBody: '500000000002' },
  { id: 'demo-manufacturer', legalName: 'Helix Pharma GmbH (demo)', role: 'manufacturer', glnBody: '500000000003' },
  { id: 'demo-wholesaler', legalName: 'Northline Distribution Ltd (demo)', role: 'wholesaler', glnBody: '500000000004' },
  { id: 'demo-pharmacy-central', legalName: 'Central Square Pharmacy (demo)', role: 'pharmacy', glnBody: '500000000005' },
  { id: 'demo-pharmacy-harbour', legalName: 'Harbour Road Pharmacy (demo)', role: 'pharmacy', glnBody: '500000000006' },
  { id: 'demo-prescriber', legalName: 'Dr. A. Rivera, General Practice (demo)', role: 'prescriber', glnBody: '500000000007' },
];

const licenceFor = (p: DemoParticipant) => ({ number: `LIC-${p.id.toUpperCase()}`, expiresOn: '2030-12-31' });

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
  return genesisEvent(key, { id: DEMO_REGULATOR.id, legalName: DEMO_REGULATOR.legalName, gln: withGlnCheckDigit(DEMO_REGULATOR.glnBody), licence: licenceFor(DEMO_REGULATOR) });
}

/** Registers the rest of the demo network through the API as the demo regulator. Idempotent. */
export async function seedDemoParticipants(baseUrl: string, keysDir: string): Promise<string[]> {
  const regulator = new PharmaTraceClient(baseUrl, keyFor(keysDir, DEMO_REGULATOR));
  const created: string[] = [];
  for (const p of DEMO_PARTICIPANTS) {
    if (await regulator.participant(p.id)) continue;
    const key = keyFor(keysDir, p);
    await registerParticipant(regulator, {
      id: p.id,
      legalName: p.legalName,
      role: p.role,
      gln: withGlnCheckDigit(p.glnBody),
      licence: licenceFor(p),
      keys: [keySpecOf(key)],
    });
    created.push(p.id);
  }
  return created;
}
