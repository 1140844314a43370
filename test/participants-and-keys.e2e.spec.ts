// Participants, keys and sign-in end to end through the SDK: a regulator registers participants,
// participants add, rotate and revoke keys, and a suspended participant or revoked key can do nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64Url, signInMessage, signMessage, toBase64Url } from '@pharmatrace/ledger-core';
import {
  addKey,
  generateKeyFile,
  keySpecOf,
  PharmaTraceClient,
  registerParticipant,
  reinstateParticipant,
  revokeKey,
  rotateKey,
  suspendParticipant,
} from '@pharmatrace/sdk';
import { participantAssetId } from '@pharmatrace/participants/participant-events';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, LICENCE, refusal, TestNetwork, uniqueGln } from './support/test-network';

describe('participants, keys and sign-in', () => {
  let server: TestServer;
  let net: TestNetwork;

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
  });
  after(async () => server?.close());

  it('a regulator registers a participant who then signs in with its own key', async () => {
    const pharmacy = await net.join('pharmacy', 'pharmacy-north');
    const me = await pharmacy.me();
    assert.equal(me.id, 'pharmacy-north');
    assert.equal(me.role, 'pharmacy');
    assert.equal(me.status, 'active');
    assert.deepEqual(me.keys.map((k) => [k.kid, k.status]), [[pharmacy.key.kid, 'active']]);
    const listed = await net.regulator.query<{ participants: Array<{ id: string }> }>('query { participants(filter: {role: pharmacy}) { id } }');
    assert.ok(listed.participants.some((p) => p.id === 'pharmacy-north'));
  });

  it('refuses a duplicate participant, a taken GLN and an invalid GLN, storing nothing', async () => {
    const gln = uniqueGln();
    const key = () => keySpecOf(generateKeyFile('k'));
    await registerParticipant(net.regulator, { id: 'dup-1', legalName: 'Dup', role: 'wholesaler', gln, licence: LICENCE, keys: [key()] });
    const count = await server.eventCount();
    const again = await refusal(() => registerParticipant(net.regulator, { id: 'dup-1', legalName: 'Dup', role: 'wholesaler', gln: uniqueGln(), licence: LICENCE, keys: [key()] }));
    assert.equal(again.code, 'ALREADY_REGISTERED');
    assert.match(again.message, /Participant dup-1 is already registered/);
    const taken = await refusal(() => registerParticipant(net.regulator, { id: 'dup-2', legalName: 'Dup', role: 'wholesaler', gln, licence: LICENCE, keys: [key()] }));
    assert.equal(taken.code, 'GLN_TAKEN');
    const invalid = await refusal(() =>
      registerParticipant(net.regulator, { id: 'dup-3', legalName: 'Dup', role: 'wholesaler', gln: '1234567890123', licence: LICENCE, keys: [key()] }),
    );
    assert.equal(invalid.code, 'INVALID_GLN');
    assert.equal(await server.eventCount(), count);
  });

  it('refuses calls without a session and a sign-in with a wrong signature or a used challenge', async () => {
    const anonymous = new PharmaTraceClient(server.url, generateKeyFile('anon', 'operator', 'nobody'));
    assert.equal((await refusal(() => anonymous.graphql.request('query { me { id } }'))).code, 'UNAUTHENTICATED');
    const wholesaler = await net.join('wholesaler');
    const { requestSignInChallenge: c } = await wholesaler.graphql.request<{ requestSignInChallenge: { nonce: string } }>(
      'mutation($p: String!, $k: String!) { requestSignInChallenge(participantId: $p, kid: $k) { nonce } }',
      { p: wholesaler.participantId, k: wholesaler.key.kid },
    );
    const signIn = (signature: string) =>
      wholesaler.graphql.request('mutation($i: SignInInput!) { signIn(input: $i) { token } }', {
        i: { participantId: wholesaler.participantId, kid: wholesaler.key.kid, nonce: c.nonce, signature },
      });
    const wrong = generateKeyFile('wrong');
    const bad = toBase64Url(signMessage(signInMessage({ participantId: wholesaler.participantId, kid: wholesaler.key.kid, nonce: c.nonce }), fromBase64Url(wrong.secretKey)));
    assert.equal((await refusal(() => signIn(bad))).code, 'BAD_SIGNATURE');
    // the failed attempt consumed the challenge: it cannot be retried
    const good = toBase64Url(signMessage(signInMessage({ participantId: wholesaler.participantId, kid: wholesaler.key.kid, nonce: c.nonce }), fromBase64Url(wholesaler.key.secretKey)));
    assert.equal((await refusal(() => signIn(good))).code, 'CHALLENGE_INVALID');
  });

  it('guards resolvers by role', async () => {
    const supplier = await net.join('supplier');
    const r = await refusal(() => suspendParticipant(supplier, net.regulator.participantId, 'coup'));
    assert.equal(r.code, 'FORBIDDEN_ROLE');
    const log = 'query { eventLog(first: 500) { seq type event } }';
    const denied = await refusal(() => supplier.query(log));
    assert.equal(denied.code, 'FORBIDDEN_ROLE', denied.message);
    const { eventLog } = await net.regulator.query<{ eventLog: Array<{ seq: number; type: string; event: { actor: string } }> }>(log);
    assert.equal(eventLog[0].type, 'participant.registered');
    assert.deepEqual(eventLog.map((e) => e.seq), eventLog.map((_, i) => i + 1), 'the log is gapless and in order');
    assert.ok(eventLog.some((e) => e.event.actor === net.regulator.participantId));
  });

  it('adds a terminal key, signs with it, then revokes it: the revoked key can do nothing', async () => {
    const maker = await net.join('manufacturer', 'maker-keys');
    const terminalKey = generateKeyFile('line 3 terminal', 'terminal', maker.participantId);
    await addKey(maker, maker.participantId, keySpecOf(terminalKey));
    const terminal = new PharmaTraceClient(server.url, terminalKey);
    assert.equal((await terminal.me()).keys.length, 2);
    // the terminal key signs an event of its own
    const spare = generateKeyFile('spare', 'terminal');
    await addKey(terminal, maker.participantId, keySpecOf(spare));

    await revokeKey(maker, maker.participantId, terminalKey.kid, 'terminal stolen');
    const keys = (await maker.me()).keys;
    assert.equal(keys.find((k) => k.kid === terminalKey.kid)?.status, 'revoked');

    // its session ended at once, it cannot sign in again, and an event it signs is refused
    assert.equal((await refusal(() => terminal.graphql.request('query { me { id } }'))).code, 'SESSION_EXPIRED');
    assert.equal((await refusal(() => terminal.signIn())).code, 'KEY_REVOKED');
    const head = await maker.assetHead(participantAssetId(maker.participantId));
    const signedByRevoked = terminal.sign({
      type: 'participant.key_added',
      assets: [{ id: participantAssetId(maker.participantId), prev: head }],
      data: { v: 1, participant: maker.participantId, key: keySpecOf(generateKeyFile('x', 'terminal')) },
    });
    const count = await server.eventCount();
    assert.equal((await refusal(() => maker.submit(signedByRevoked))).code, 'KEY_REVOKED');
    assert.equal(await server.eventCount(), count);
  });

  it('rotates a key atomically and refuses to revoke the last active key', async () => {
    const maker = await net.join('manufacturer', 'maker-rotate');
    const next = generateKeyFile('rotated', 'operator', maker.participantId);
    await rotateKey(maker, maker.participantId, maker.key.kid, keySpecOf(next));
    const rotated = new PharmaTraceClient(server.url, next);
    const me = await rotated.me();
    assert.deepEqual(
      me.keys.map((k) => [k.kid, k.status]),
      [
        [maker.key.kid, 'revoked'],
        [next.kid, 'active'],
      ],
    );
    const last = await refusal(() => revokeKey(rotated, rotated.participantId, next.kid, 'oops'));
    assert.equal(last.code, 'LAST_ACTIVE_KEY');
  });

  it('lets only the participant itself or a regulator change its keys', async () => {
    const a = await net.join('pharmacy');
    const b = await net.join('pharmacy');
    const r = await refusal(() => addKey(b, a.participantId, keySpecOf(generateKeyFile('intruder', 'terminal'))));
    assert.equal(r.code, 'NOT_OWNER');
    await revokeKey(net.regulator, a.participantId, a.key.kid, 'regulator order').catch((e: { code: string }) => assert.equal(e.code, 'LAST_ACTIVE_KEY'));
    const extra = generateKeyFile('extra', 'terminal');
    await addKey(net.regulator, a.participantId, keySpecOf(extra));
    assert.equal((await a.me()).keys.length, 2);
  });

  it('a suspended participant can do nothing until reinstated', async () => {
    const w = await net.join('wholesaler', 'wholesaler-suspended');
    await w.signIn();
    await suspendParticipant(net.regulator, w.participantId, 'licence under review');
    assert.equal((await refusal(() => w.graphql.request('query { me { id } }'))).code, 'SESSION_EXPIRED');
    assert.equal((await refusal(() => w.signIn())).code, 'ACTOR_SUSPENDED');
    assert.equal((await refusal(() => suspendParticipant(net.regulator, w.participantId, 'again'))).code, 'ALREADY_SUSPENDED');
    await reinstateParticipant(net.regulator, w.participantId, 'review closed');
    assert.equal((await w.me()).status, 'active');
  });
});
