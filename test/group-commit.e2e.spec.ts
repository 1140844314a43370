// Group commit under real concurrency (issue 12): many terminals submit at once, their calls share
// transactions under the log lock, and every promise of the ledger still holds — one gapless order,
// exactly one winner per prev, refused calls store nothing while the calls grouped with them commit, a
// batch stays all or nothing — and the audit replays the result clean.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditDatabase, withDatabaseSnapshot } from '@pharmatrace/audit';
import { ParticipantEventTypes, participantAssetId } from '@pharmatrace/participants/participant-events';
import { CatalogEventTypes, productAssetId } from '@pharmatrace/custody/custody-events';
import { generateKeyFile, keySpecOf, PharmaTraceApiError, PharmaTraceClient, uuidv7 } from '@pharmatrace/sdk';
import { newGtin, productSpec } from './support/custody-fixture';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork } from './support/test-network';

describe('group commit under concurrency', () => {
  let server: TestServer;
  let makers: PharmaTraceClient[];

  before(async () => {
    server = await startTestServer();
    const net = await createTestNetwork(server);
    makers = await Promise.all([1, 2, 3, 4, 5].map((i) => net.join('manufacturer', `group-maker-${i}`)));
  });
  after(async () => server?.close());

  const seqs = async (): Promise<number[]> => ((await server.runtime.dataSource.query('SELECT seq FROM ledger_events ORDER BY seq')) as Array<{ seq: string }>).map((r) => Number(r.seq));
  const registerSigned = (maker: PharmaTraceClient, gtin: string) =>
    maker.sign({ type: CatalogEventTypes.productRegistered, assets: [{ id: productAssetId(gtin), prev: null }], data: { v: 1, product: productSpec(gtin) } });
  const keyAdded = (maker: PharmaTraceClient, prev: string | null) =>
    maker.sign({ type: ParticipantEventTypes.keyAdded, id: uuidv7(), assets: [{ id: participantAssetId(maker.participantId), prev }], data: { v: 1, participant: maker.participantId, key: keySpecOf(generateKeyFile('terminal', 'terminal')) } });

  it('fifty terminals at once, with conflicting and refused calls among them: one gapless order, one winner per prev, refusals store nothing', async () => {
    const before = await seqs();
    const contested = makers[0];
    const head = await contested.assetHead(participantAssetId(contested.participantId));
    const gtins = Array.from({ length: 40 }, () => newGtin());
    const taken = gtins[0];
    const calls: Array<Promise<{ kind: string; code?: string }>> = [];
    const settle = (p: Promise<unknown>, kind: string) =>
      p.then(
        () => ({ kind }),
        (e: unknown) => ({ kind: 'refused', code: e instanceof PharmaTraceApiError ? e.code : String(e) }),
      );
    // 40 new products from five makers, 8 key additions on one prev, the same product twice more, and a
    // batch of two events where the second is refused (so the first must not stay either).
    gtins.forEach((g, i) => calls.push(settle(makers[i % makers.length].submit(registerSigned(makers[i % makers.length], g)), 'product')));
    for (let i = 0; i < 8; i++) calls.push(settle(contested.submit(keyAdded(contested, head)), 'key'));
    calls.push(settle(makers[1].submit(registerSigned(makers[1], taken)), 'product again'));
    const lone = newGtin();
    calls.push(settle(makers[2].submitMany([registerSigned(makers[2], lone), keyAdded(makers[2], null)]), 'batch'));
    const outcomes = await Promise.all(calls);

    const products = outcomes.slice(0, 40);
    // The product a second call also registered: one of the two wins (ALREADY_REGISTERED or a duplicate id).
    const productWins = products.filter((o) => o.kind === 'product').length + (outcomes[48].kind === 'product again' ? 1 : 0);
    assert.equal(productWins, 40, JSON.stringify(outcomes));
    const keys = outcomes.slice(40, 48);
    assert.equal(keys.filter((o) => o.kind === 'key').length, 1, 'exactly one key addition wins the prev');
    assert.deepEqual([...new Set(keys.filter((o) => o.kind === 'refused').map((o) => o.code))], ['STALE_PREV']);
    assert.deepEqual(outcomes[49], { kind: 'refused', code: 'BATCH_REJECTED' });
    assert.equal(await makers[2].assetHead(productAssetId(lone)), null, 'the refused batch stored none of its events');

    const after = await seqs();
    const added = after.slice(before.length);
    assert.equal(added.length, 41, '40 products and one key addition, nothing else');
    assert.deepEqual(after, Array.from({ length: after.length }, (_, i) => i + 1), 'one gapless order');
    const report = await withDatabaseSnapshot(server.runtime.dataSource, (db) => auditDatabase(db));
    assert.ok(report.ok, JSON.stringify(report));
  });
});
