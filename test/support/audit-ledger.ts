// A deployment for the audit and witness suites: the API in this process and a block sealer the test
// drives itself (no worker), so blocks are sealed exactly when a test says and an unsealed tail stays
// unsealed. The ledger is built through the SDK, the way participants build it.
import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadConfig } from '@pharmatrace/config';
import { BlockSealer, EventPipeline, loadOrCreateLedgerKey } from '@pharmatrace/ledger';
import { eventHash } from '@pharmatrace/ledger-core';
import { ParticipantEventTypes, participantAssetId } from '@pharmatrace/participants/participant-events';
import { QueueNames } from '@pharmatrace/queue';
import { Runtime, startRuntime } from '@pharmatrace/runtime';
import {
  addKey,
  generateKeyFile,
  genesisEvent,
  KeyFile,
  keySpecOf,
  PharmaTraceClient,
  Receipt,
  registerParticipant,
  reinstateParticipant,
  renewLicence,
  revokeKey,
  rotateKey,
  suspendParticipant,
} from '@pharmatrace/sdk';
import type { ParticipantRole } from '@pharmatrace/ledger/participant-roles';
import { createApi } from '../../apps/api/src/create-api';
import { createTestEnvironment, TestEnvironment } from './test-environment';
import { LICENCE, uniqueGln } from './test-network';

export interface AuditDeployment {
  url: string;
  runtime: Runtime;
  config: AppConfig;
  api: NestFastifyApplication;
  sealer: BlockSealer;
  environment: TestEnvironment;
  /** Environment for a CLI child process on this deployment's database. */
  childEnv(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startAuditDeployment(overrides: Record<string, string> = {}): Promise<AuditDeployment> {
  const environment = await createTestEnvironment();
  const env = { ...environment.env, PORT: '0', ...overrides };
  const config = loadConfig(env);
  const runtime = await startRuntime(config, { migrate: true });
  const sealer = new BlockSealer(runtime.dataSource, loadOrCreateLedgerKey(config.ledgerKeyPath), config.maxBlockEvents);
  await sealer.registerKey();
  const api = await createApi(runtime, 0);
  const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    runtime,
    config,
    api,
    sealer,
    environment,
    childEnv: (extra = {}) => ({ ...env, DATABASE_URL: runtime.databaseUrl, ...extra }),
    async close() {
      await api.close();
      // No worker consumes the seal jobs the API enqueued; a shared Redis should not keep them.
      if (runtime.queues.mode === 'redis') await runtime.queues.queue(QueueNames.ledger).obliterate({ force: true });
      await runtime.close();
      await environment.dispose();
    },
  };
}

export interface AuditFixture {
  regulator: PharmaTraceClient;
  regulatorKey: KeyFile;
  maker: PharmaTraceClient;
  wholesaler: PharmaTraceClient;
  /** A maker key revoked early on; events it signs afterwards are forgeries. */
  revokedMakerKey: KeyFile;
  revokedKeySeq: number;
  suspendedSeq: number;
  reinstatedSeq: number;
  lastSeq: number;
}

async function join(regulator: PharmaTraceClient, url: string, role: ParticipantRole, id: string): Promise<PharmaTraceClient> {
  const key = generateKeyFile(`${id} operator`, 'operator', id);
  await registerParticipant(regulator, { id, legalName: `${id} Ltd`, role, gln: uniqueGln(), licence: LICENCE, keys: [keySpecOf(key)] });
  return new PharmaTraceClient(url, key);
}

/** `count` licence renewals of `participant` signed by the regulator, chained and submitted in one batch. */
export async function renewals(regulator: PharmaTraceClient, participant: string, count: number): Promise<Receipt[]> {
  let prev = await regulator.assetHead(participantAssetId(participant));
  const signed = Array.from({ length: count }, (_, i) => {
    const s = regulator.sign({
      type: ParticipantEventTypes.licenceRenewed,
      assets: [{ id: participantAssetId(participant), prev }],
      data: { v: 1, participant, licence: { number: `R-${i}`, expiresOn: '2032-12-31' } },
    });
    prev = eventHash(s.event);
    return s;
  });
  return regulator.submitMany(signed);
}

/**
 * Several participants, key add/revoke/rotate (including keys that sign their own revocation and
 * rotation), a suspension and reinstatement, and renewals to fill several blocks.
 */
export async function buildAuditLedger(d: AuditDeployment): Promise<AuditFixture> {
  const regulatorKey = generateKeyFile('regulator operator', 'operator', 'regulator-1');
  await d.api.get(EventPipeline).submitOne(genesisEvent(regulatorKey, { id: 'regulator-1', legalName: 'Test Medicines Agency', gln: uniqueGln(), licence: LICENCE }));
  const regulator = new PharmaTraceClient(d.url, regulatorKey);
  let maker = await join(regulator, d.url, 'manufacturer', 'maker-a');
  let wholesaler = await join(regulator, d.url, 'wholesaler', 'whole-a');
  const pharmacy = await join(regulator, d.url, 'pharmacy', 'pharm-a');

  const terminal1 = generateKeyFile('line 1', 'terminal', 'maker-a');
  const terminal2 = generateKeyFile('line 2', 'terminal', 'maker-a');
  await addKey(maker, 'maker-a', keySpecOf(terminal1));
  await addKey(maker, 'maker-a', keySpecOf(terminal2));
  const revoked = await revokeKey(maker, 'maker-a', terminal1.kid, 'terminal lost');
  // The operator key rotates itself: it signs the event that revokes it.
  const newOperator = generateKeyFile('maker operator 2', 'operator', 'maker-a');
  await rotateKey(maker, 'maker-a', maker.key.kid, keySpecOf(newOperator));
  maker = new PharmaTraceClient(d.url, newOperator);
  await addKey(new PharmaTraceClient(d.url, terminal2), 'maker-a', keySpecOf(generateKeyFile('line 3', 'terminal', 'maker-a')));

  // The wholesaler's first key revokes itself once a second key exists.
  const second = generateKeyFile('whole operator 2', 'operator', 'whole-a');
  await addKey(wholesaler, 'whole-a', keySpecOf(second));
  await revokeKey(wholesaler, 'whole-a', wholesaler.key.kid, 'retired');
  wholesaler = new PharmaTraceClient(d.url, second);

  const suspended = await suspendParticipant(regulator, pharmacy.participantId, 'inspection');
  await renewLicence(regulator, pharmacy.participantId, { number: 'PH-2', expiresOn: '2033-01-31' });
  const reinstated = await reinstateParticipant(regulator, pharmacy.participantId, 'inspection passed');
  await addKey(wholesaler, 'whole-a', keySpecOf(generateKeyFile('dock', 'terminal', 'whole-a')));
  const filled = await renewals(regulator, 'whole-a', 10);
  return {
    regulator,
    regulatorKey,
    maker,
    wholesaler,
    revokedMakerKey: terminal1,
    revokedKeySeq: revoked.seq,
    suspendedSeq: suspended.seq,
    reinstatedSeq: reinstated.seq,
    lastSeq: filled[filled.length - 1].seq,
  };
}
