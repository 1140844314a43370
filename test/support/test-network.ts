// A small network for a suite: the genesis regulator (as `cli init` creates it) and participants
// registered by it through the SDK. Keys stay in memory, on the "client" side.
import { EventPipeline } from '@pharmatrace/ledger';
import type { ParticipantRole } from '@pharmatrace/ledger/participant-roles';
import { withGlnCheckDigit } from '@pharmatrace/gs1';
import { generateKeyFile, genesisEvent, KeyFile, keySpecOf, PharmaTraceClient, registerParticipant } from '@pharmatrace/sdk';
import { TestServer } from './test-server';

let counter = 0;
export const uniqueGln = (): string => withGlnCheckDigit(`7${String(Date.now() % 1e8).padStart(8, '0')}${String(counter++ % 1000).padStart(3, '0')}`);
export const LICENCE = { number: 'LIC-TEST-1', expiresOn: '2031-12-31' };

export interface TestNetwork {
  regulator: PharmaTraceClient;
  join(role: ParticipantRole, id?: string): Promise<PharmaTraceClient>;
}

export async function createGenesisRegulator(server: TestServer, id = 'regulator-1'): Promise<PharmaTraceClient> {
  const key = generateKeyFile('regulator operator', 'operator', id);
  await server.api.get(EventPipeline).submitOne(genesisEvent(key, { id, legalName: 'Test Medicines Agency', gln: uniqueGln(), licence: LICENCE }));
  return new PharmaTraceClient(server.url, key);
}

export async function createTestNetwork(server: TestServer): Promise<TestNetwork> {
  const regulator = await createGenesisRegulator(server);
  return {
    regulator,
    async join(role, id = `${role}-${++counter}`) {
      const key: KeyFile = generateKeyFile(`${id} operator`, 'operator', id);
      await registerParticipant(regulator, { id, legalName: `${id} Ltd`, role, gln: uniqueGln(), licence: LICENCE, keys: [keySpecOf(key)] });
      return new PharmaTraceClient(server.url, key);
    },
  };
}

/** Runs `fn` and returns the API error code it was refused with (fails if it was not refused). */
export async function refusal(fn: () => Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { code?: string; message: string; details?: Record<string, unknown> };
    if (typeof err.code === 'string') return { code: err.code, message: err.message, details: err.details };
    throw e;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

/** Asserts that `fn` is refused with `code` and that the event log did not grow. */
export async function refusedWithNothingStored(server: TestServer, code: string, fn: () => Promise<unknown>) {
  const before = await server.eventCount();
  const r = await refusal(fn);
  if (r.code !== code) throw new Error(`expected ${code}, got ${r.code}: ${r.message}`);
  const after = await server.eventCount();
  if (after !== before) throw new Error(`a refused event must store nothing (the log grew from ${before} to ${after})`);
  return r;
}

/**
 * The same participant, reading chain heads through `oracle` (a regulator): an attacker who learned the
 * heads somehow. Its events cite the right prevs, so what refuses them is the event's own rule.
 */
export function knowingHeads(client: PharmaTraceClient, oracle: PharmaTraceClient): PharmaTraceClient {
  const informed = Object.create(client) as PharmaTraceClient;
  informed.assetHeads = (ids: string[]) => oracle.assetHeads(ids);
  informed.assetHead = (id: string) => oracle.assetHead(id);
  return informed;
}
