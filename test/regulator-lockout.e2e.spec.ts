// Lockout guards, one scenario per rule: nothing may leave the deployment without a regulator able to act
// (active, licence in force, with an active key) — otherwise nobody could ever reinstate, renew or register
// anyone again. Every refusal stores nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PharmaTraceClient, reinstateParticipant, revokeKey, suspendParticipant } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, refusedWithNothingStored as storedNothing, TestNetwork } from './support/test-network';

describe('regulator lockout', () => {
  let server: TestServer;
  let net: TestNetwork;
  let first: PharmaTraceClient;

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    first = net.regulator;
  });
  after(async () => server?.close());

  const refusedWithNothingStored = (code: string, fn: () => Promise<unknown>) => storedNothing(server, code, fn);

  it('last active regulator: cannot suspend itself (LAST_ACTIVE_REGULATOR)', async () => {
    const r = await refusedWithNothingStored('LAST_ACTIVE_REGULATOR', () => suspendParticipant(first, first.participantId, 'going on leave'));
    assert.match(r.message, /^You are the last regulator able to act; suspending regulator-1 would leave nobody to reinstate anyone\. Register .* another regulator first\.$/);
    assert.equal((await first.me()).status, 'active');
  });

  it('last active regulator: cannot revoke its last key (LAST_ACTIVE_KEY)', async () => {
    await refusedWithNothingStored('LAST_ACTIVE_KEY', () => revokeKey(first, first.participantId, first.key.kid, 'lost'));
  });

  it('last active regulator: with a second regulator able to act, either may suspend the other or itself, but not the last one left', async () => {
    const second = await net.join('regulator', 'regulator-2');
    // suspending the last *other* regulator leaves the signer itself able to act: allowed
    await suspendParticipant(first, second.participantId, 'audit of the agency');
    await refusedWithNothingStored('LAST_ACTIVE_REGULATOR', () => suspendParticipant(first, first.participantId, 'x'));
    await reinstateParticipant(first, second.participantId, 'audit closed');
    // now the first may step down; the second is then the last and is guarded in turn
    await suspendParticipant(first, first.participantId, 'handover to regulator-2');
    const r = await refusedWithNothingStored('LAST_ACTIVE_REGULATOR', () => suspendParticipant(second, second.participantId, 'x'));
    assert.match(r.message, /^You are the last regulator able to act/);
    await reinstateParticipant(second, first.participantId, 'back from leave');
    assert.equal((await first.me()).status, 'active');
  });

  it('last active regulator: a regulator whose licence has lapsed does not count, as it cannot act', async () => {
    const lapsed = await net.join('regulator', 'regulator-lapsed');
    await server.runtime.dataSource.query(`UPDATE participants SET licence_expires_on = (now() - interval '2 days')::date WHERE id = $1`, [lapsed.participantId]);
    const second = 'regulator-2';
    await suspendParticipant(first, second, 'rotation');
    // regulator-lapsed is active but cannot sign anything, not even its own renewal: it cannot rescue anyone
    const r = await refusedWithNothingStored('LAST_ACTIVE_REGULATOR', () => suspendParticipant(first, first.participantId, 'x'));
    assert.match(r.message, /last regulator able to act/);
    await reinstateParticipant(first, second, 'rotation over');
    await server.runtime.dataSource.query(`UPDATE participants SET licence_expires_on = '2031-12-31' WHERE id = $1`, [lapsed.participantId]);
  });
});
