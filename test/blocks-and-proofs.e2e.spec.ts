// Sealing and proving end to end: the worker seals appended events into signed, chained blocks; the
// SDK verifies inclusion and consistency proofs and header signatures with ledger-core alone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventHash } from '@pharmatrace/ledger-core';
import { participantAssetId, ParticipantEventTypes } from '@pharmatrace/participants/participant-events';
import {
  BlockView,
  generateKeyFile,
  keySpecOf,
  LedgerClient,
  PharmaTraceClient,
  provenEvent,
  verifyBlock,
  verifyBlockConsistency,
  verifyChain,
  verifyEventInclusion,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork, TestNetwork } from './support/test-network';

describe('blocks and proofs', () => {
  let server: TestServer;
  let net: TestNetwork;
  let ledger: LedgerClient;
  let ledgerKey: string;
  let maker: PharmaTraceClient;

  const addKeys = async (client: PharmaTraceClient, count: number) => {
    let prev = await client.assetHead(participantAssetId(client.participantId));
    const signed = Array.from({ length: count }, () => {
      const s = client.sign({
        type: ParticipantEventTypes.keyAdded,
        assets: [{ id: participantAssetId(client.participantId), prev }],
        data: { v: 1, participant: client.participantId, key: keySpecOf(generateKeyFile('t', 'terminal')) },
      });
      prev = eventHash(s.event);
      return s;
    });
    return client.submitMany(signed);
  };
  const sealedThrough = (seq: number) =>
    waitFor(`a block sealing #${seq}`, async () => {
      const latest = await ledger.latestBlock();
      return latest && latest.header.lastSeq >= seq ? latest : null;
    });

  before(async () => {
    server = await startTestServer(undefined, { LEDGER_MAX_BLOCK_EVENTS: '10', SEAL_DEBOUNCE_MS: '50' });
    net = await createTestNetwork(server);
    maker = await net.join('manufacturer', 'maker-blocks');
    ledger = new LedgerClient(server.url);
    const keys = await ledger.ledgerKeys();
    assert.equal(keys.length, 1);
    ledgerKey = keys[0].publicKey;
  });
  after(async () => server?.close());

  it('publishes the ledger key at a well-known endpoint and in GraphQL', async () => {
    const res = await fetch(`${server.url}/.well-known/pharmatrace-ledger`);
    const body = (await res.json()) as { keys: Array<{ kid: string; publicKey: string }> };
    assert.equal(body.keys[0].publicKey, ledgerKey);
    assert.match(body.keys[0].kid, /^ed25519:[0-9a-f]{32}$/);
  });

  it('seals appended events into signed blocks of at most the configured size, chained from genesis', async () => {
    const receipts = await addKeys(maker, 25);
    const last = receipts[receipts.length - 1].seq;
    await sealedThrough(last);
    const blocks = await ledger.blocks(0, 500);
    assert.ok(blocks.length >= 3, 'more than one block for 25+ events with blocks of 10');
    for (const b of blocks) {
      assert.ok(b.header.lastSeq - b.header.firstSeq + 1 <= 10);
      assert.deepEqual(verifyBlock(b, ledgerKey), { ok: true });
    }
    assert.deepEqual(verifyChain(blocks.map((b) => b.header)), { ok: true });
    assert.equal(blocks[0].header.firstSeq, 1);
  });

  it('proves an event is in its block and in every later block; a forged proof fails', async () => {
    const [receipt] = await addKeys(maker, 1);
    const block = await sealedThrough(receipt.seq);
    const proven = await provenEvent(maker, receipt.hash);
    assert.ok(proven?.block && proven.inclusion);
    assert.equal(proven.block.header.height, block.header.height);
    assert.deepEqual(verifyEventInclusion(proven, proven.block, ledgerKey), { ok: true });

    const genesisHash = (await net.regulator.query<{ eventLog: Array<{ hash: string }> }>('query { eventLog(first: 1) { hash } }')).eventLog[0].hash;
    // The genesis is the regulator's own registration: the manufacturer may not see it (docs/access-model.md).
    assert.equal(await provenEvent(maker, genesisHash, block.header.height), null);
    const first = await provenEvent(net.regulator, genesisHash, block.header.height);
    assert.ok(first);
    assert.equal(first.seq, 1);
    assert.deepEqual(verifyEventInclusion(first, block, ledgerKey), { ok: true });

    const forged = { ...proven, inclusion: { ...proven.inclusion, hashes: [...proven.inclusion.hashes] } };
    forged.inclusion.hashes[0] = forged.inclusion.hashes[0].replace(/^./, (c) => (c === '0' ? '1' : '0'));
    assert.equal(verifyEventInclusion(forged, proven.block, ledgerKey).ok, false);
    const otherEvent = { ...proven, event: { ...proven.event, id: 'something-else' } };
    assert.equal(verifyEventInclusion(otherEvent, proven.block, ledgerKey).ok, false);
  });

  it('proves every later block extends every earlier one; a rewritten head fails', async () => {
    const latest = (await ledger.latestBlock()) as BlockView;
    for (let h = 1; h < latest.header.height; h++) {
      const older = (await ledger.block(h)) as BlockView;
      const proof = await ledger.consistencyProof(h, latest.header.height);
      assert.deepEqual(verifyBlockConsistency(older, latest, proof, ledgerKey), { ok: true }, `block ${h} → ${latest.header.height}`);
    }
    const older = (await ledger.block(1)) as BlockView;
    const proof = await ledger.consistencyProof(1, latest.header.height);
    const rewritten = { ...latest, header: { ...latest.header, rootHash: '0'.repeat(64) } };
    assert.equal(verifyBlockConsistency(older, rewritten, proof, ledgerKey).ok, false, 'a head not signed by the ledger key is refused');
  });

  it('refuses a header signed by another key', async () => {
    const latest = (await ledger.latestBlock()) as BlockView;
    const stranger = generateKeyFile('not the ledger');
    assert.equal(verifyBlock(latest, stranger.publicKey).ok, false);
  });
});
