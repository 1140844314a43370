// The DSCSA verification responder (GS1 US Lightweight Messaging; docs/dscsa-vrs.md), end to end over HTTP:
// a wholesaler's VRS requester asks through the SDK with its token; the manufacturer reads the log.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseBatchAssetId, packAssetId } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks, initiateRecall, issueVrsToken, myVrsTokens, PharmaTraceClient, registerBatch, reportDisposal, revokeVrsToken, suspendParticipant,
  vrsRequests, VrsQuery, VrsRequestError, vrsVerify, writeKeyFile,
} from '@pharmatrace/sdk';
import { runCli } from './support/run-cli';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, refusal, TestNetwork } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';

const EXPIRES_ON = '2028-01-31';
const EXP = '280131';

interface Pack {
  gtin: string;
  lot: string;
  serial: string;
}

describe('DSCSA verification responder', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let otherMaker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let wholesalerGln: string;
  let makerGln: string;
  let token: string;
  let packs: Pack[];
  let otherLot: string;

  const glnOf = async (id: string): Promise<string> => (await server.runtime.dataSource.query('SELECT gln FROM participants WHERE id = $1', [id]))[0].gln;
  const logCount = async (): Promise<number> => Number((await server.runtime.dataSource.query('SELECT count(*) AS n FROM vrs_requests'))[0].n);
  const query = (p: Pack, over: Partial<VrsQuery> = {}): VrsQuery => ({
    gtin: p.gtin, lot: p.lot, serial: p.serial, expiry: EXP, corrUUID: randomUUID(), context: 'dscsaSaleableReturn', reqGLN: wholesalerGln, ...over,
  });
  async function packsOf(batch: string, count: number): Promise<Pack[]> {
    const { gtin, lot } = parseBatchAssetId(batch)!;
    const { serials } = await commissionPacks(maker, batch, count);
    return serials.map((serial) => ({ gtin, lot, serial }));
  }
  /** The HTTP status and error code a request is refused with, and whether the log stayed as it was. */
  /** The log count is read before the request is sent, and the refusal handled from the moment it exists
   *  (a request started before an await could reject meanwhile, unhandled). */
  async function refusedUnlogged(request: () => Promise<unknown>): Promise<{ status: number; code: string; logged: boolean }> {
    const before = await logCount();
    const e = await request().then(
      () => assert.fail('expected a refusal'),
      (err: unknown) => err,
    );
    assert.ok(e instanceof VrsRequestError, String(e));
    assert.ok(e.message.length > 10, 'a sentence a person can act on');
    return { status: e.status, code: e.code, logged: (await logCount()) !== before };
  }

  before(async () => {
    server = await startTestServer();
    net = await createTestNetwork(server);
    [maker, otherMaker, wholesaler] = await Promise.all([net.join('manufacturer', 'vrs-maker'), net.join('manufacturer', 'vrs-other-maker'), net.join('wholesaler', 'vrs-wholesaler')]);
    [makerGln, wholesalerGln] = await Promise.all([glnOf(maker.participantId), glnOf(wholesaler.participantId)]);
    const { batch } = await productAndBatch(maker, 100, { manufacturedOn: '2026-01-10', expiresOn: EXPIRES_ON });
    packs = await packsOf(batch, 10);
    otherLot = `${packs[0].lot}B`;
    await registerBatch(maker, { gtin: packs[0].gtin, lot: otherLot, quantity: 10, manufacturedOn: '2026-01-10', expiresOn: '2028-06-30' });
    token = (await issueVrsToken(wholesaler, 'returns desk')).token;
  });
  after(async () => server?.close());

  it('a genuine pack: verified, answered as its manufacturer, corrUUID echoed', async () => {
    const corrUUID = randomUUID();
    const r = await vrsVerify(server.url, token, query(packs[0], { corrUUID }));
    assert.deepEqual(Object.keys(r).sort(), ['corrUUID', 'data', 'responderGLN', 'verificationTimestamp']);
    assert.deepEqual(r.data, { verified: true });
    assert.equal(r.responderGLN, makerGln);
    assert.equal(r.corrUUID, corrUUID);
    assert.match(r.verificationTimestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The authentication scheme is case-insensitive (RFC 9110 §11.1).
    const p = packs[0];
    const lower = await fetch(`${server.url}/verify/gtin/${p.gtin}/lot/${encodeURIComponent(p.lot)}/ser/${encodeURIComponent(p.serial)}?exp=${EXP}`, { headers: { authorization: `bearer ${token}` } });
    assert.equal(lower.status, 200);
  });

  it('no match: unknown serial, wrong lot, wrong expiry, both, unknown GTIN', async () => {
    const p = packs[1];
    const cases: Array<[Partial<VrsQuery>, string]> = [
      [{ serial: 'NEVERCOMMISSIONED' }, 'No_match_GTIN_Serial'],
      [{ lot: otherLot }, 'No_match_GTIN_Serial_Lot'],
      [{ lot: 'NOSUCHLOT' }, 'No_match_GTIN_Serial_Lot'],
      [{ expiry: '280229' }, 'No_match_GTIN_Serial_Expiry'],
      [{ lot: 'NOSUCHLOT', expiry: '280229' }, 'No_match_GTIN_Serial_Lot_Expiry'],
    ];
    for (const [over, reason] of cases) {
      const r = await vrsVerify(server.url, token, query(p, over));
      assert.deepEqual(r.data, { verified: false, verificationFailureReason: reason }, JSON.stringify(over));
      assert.equal(r.responderGLN, makerGln);
    }
    const unknown = await vrsVerify(server.url, token, query(p, { gtin: '09506000134352' }));
    assert.deepEqual([unknown.data, unknown.responderGLN], [{ verified: false, verificationFailureReason: 'No_match_GTIN_Serial' }, null]);
  });

  it('matching identifiers with facts against the pack: Recalled, Expired, Illegitimate (destroyed), Suspect (dispensed)', async () => {
    const recalled = await productAndBatch(maker, 5, { manufacturedOn: '2026-01-10', expiresOn: EXPIRES_ON });
    const [rp] = await packsOf(recalled.batch, 1);
    await initiateRecall(maker, { class: 'II', reason: 'sub-potent assay', instructions: 'Quarantine and return.', notifyPatients: false, batches: [recalled.batch] });
    assert.deepEqual((await vrsVerify(server.url, token, query(rp))).data, { verified: true, additionalInfo: 'Recalled' });

    const old = await productAndBatch(maker, 5, { manufacturedOn: '2026-01-01', expiresOn: '2030-01-01' });
    const [ep] = await packsOf(old.batch, 1);
    await server.runtime.dataSource.query(`UPDATE batches SET expires_on = '2024-01-31' WHERE id = $1`, [old.batch]);
    assert.deepEqual((await vrsVerify(server.url, token, query(ep, { expiry: '240131' }))).data, { verified: true, additionalInfo: 'Expired' });

    const [dp] = [packs[2]];
    await reportDisposal(maker, 'destroyed', [packAssetId(dp.gtin, dp.serial)], 'crushed after a fall');
    assert.deepEqual((await vrsVerify(server.url, token, query(dp))).data, { verified: true, additionalInfo: 'Illegitimate' });

    // No dispense event reaches a pack at the manufacturer: the state is set as a dispense would leave it.
    const sp = packs[3];
    await server.runtime.dataSource.query(`UPDATE custody_items SET state = 'dispensed' WHERE id = $1`, [packAssetId(sp.gtin, sp.serial)]);
    assert.deepEqual((await vrsVerify(server.url, token, query(sp))).data, { verified: true, additionalInfo: 'Suspect' });
  });

  it('checkConnectivity: answered without a lookup, never a match, logged', async () => {
    const corrUUID = randomUUID();
    const r = await vrsVerify(server.url, token, query(packs[0], { checkConnectivity: true, corrUUID, serial: 'ANYTHING' }));
    assert.deepEqual(r.data, { verified: false, verificationFailureReason: 'No_reason_provided' });
    assert.equal(r.corrUUID, corrUUID);
    assert.equal(r.responderGLN, makerGln);
    const [row] = await server.runtime.dataSource.query('SELECT check_connectivity, requester_id FROM vrs_requests WHERE corr_uuid = $1', [corrUUID]);
    assert.deepEqual(row, { check_connectivity: true, requester_id: wholesaler.participantId });
  });

  it('401 without a token, with a bad one, with a revoked one (WWW-Authenticate), nothing logged', async () => {
    const before = await logCount();
    const url = `${server.url}/verify/gtin/${packs[0].gtin}/lot/${packs[0].lot}/ser/${packs[0].serial}?exp=${EXP}`;
    const bare = await fetch(url);
    assert.equal(bare.status, 401);
    assert.match(bare.headers.get('www-authenticate') ?? '', /^Bearer realm="pharmatrace-vrs"/);
    assert.equal(((await bare.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    assert.deepEqual(await refusedUnlogged(() => vrsVerify(server.url, 'x'.repeat(43), query(packs[0]))), { status: 401, code: 'VRS_TOKEN_INVALID', logged: false });
    const spare = await issueVrsToken(wholesaler, 'to revoke');
    await vrsVerify(server.url, spare.token, query(packs[0]));
    await revokeVrsToken(wholesaler, spare.id);
    assert.deepEqual(await refusedUnlogged(() => vrsVerify(server.url, spare.token, query(packs[0]))), { status: 401, code: 'VRS_TOKEN_INVALID', logged: false });
    assert.equal(await logCount(), before + 1);
  });

  it('403 for a reqGLN that is not the holder’s, a lapsed licence (set in the database: no event backdates one) and a suspended participant', async () => {
    assert.deepEqual(await refusedUnlogged(() => vrsVerify(server.url, token, query(packs[0], { reqGLN: makerGln }))), { status: 403, code: 'VRS_GLN_MISMATCH', logged: false });
    const pharmacy = await net.join('pharmacy', 'vrs-suspended-pharmacy');
    const pharmacyToken = (await issueVrsToken(pharmacy, 'counter')).token;
    const pharmacyGln = await glnOf(pharmacy.participantId);
    assert.equal((await vrsVerify(server.url, pharmacyToken, query(packs[0], { reqGLN: pharmacyGln }))).data.verified, true);
    await server.runtime.dataSource.query(`UPDATE participants SET licence_expires_on = '2025-12-31' WHERE id = $1`, [pharmacy.participantId]);
    assert.deepEqual(await refusedUnlogged(() => vrsVerify(server.url, pharmacyToken, query(packs[0], { reqGLN: pharmacyGln }))), { status: 403, code: 'LICENCE_EXPIRED', logged: false });
    await server.runtime.dataSource.query(`UPDATE participants SET licence_expires_on = '2031-12-31' WHERE id = $1`, [pharmacy.participantId]);
    await suspendParticipant(net.regulator, pharmacy.participantId, 'inspection');
    assert.deepEqual(await refusedUnlogged(() => vrsVerify(server.url, pharmacyToken, query(packs[0], { reqGLN: pharmacyGln }))), { status: 403, code: 'ACTOR_SUSPENDED', logged: false });
  });

  it('400 for malformed input, with a stable code, and nothing logged', async () => {
    const p = packs[0];
    const cases: Array<[Partial<VrsQuery>, string]> = [
      [{ gtin: `${p.gtin.slice(0, 13)}${(Number(p.gtin[13]) + 1) % 10}` }, 'INVALID_GTIN'],
      [{ expiry: '280230' }, 'INVALID_EXPIRY'],
      [{ expiry: '2028-01-31' }, 'INVALID_EXPIRY'],
      [{ corrUUID: 'not-a-uuid' }, 'INVALID_CORR_UUID'],
      [{ serial: 'S'.repeat(21) }, 'INVALID_SERIAL'],
      [{ serial: 'AB\u0000CD' }, 'INVALID_SERIAL'],
      [{ lot: 'L\u001d1' }, 'INVALID_LOT'],
      [{ reqGLN: '1234567890123' }, 'INVALID_GLN'],
      [{ context: 'no spaces please' }, 'INVALID_VRS_PARAMETER'],
    ];
    for (const [over, code] of cases) {
      assert.deepEqual(await refusedUnlogged(() => vrsVerify(server.url, token, query(p, over))), { status: 400, code, logged: false }, JSON.stringify(over));
    }
    const before = await logCount();
    const wrongLink = await fetch(`${server.url}/verify/gtin/${p.gtin}/lot/${p.lot}/ser/${p.serial}?exp=${EXP}&linkType=pip`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(wrongLink.status, 400);
    assert.deepEqual(Object.keys(((await wrongLink.json()) as { error: object }).error).sort(), ['code', 'message']);
    assert.equal(await logCount(), before);
  });

  it('the log: the manufacturer sees each request about its products with the requester; another manufacturer none; the requester its own', async () => {
    const corrUUID = randomUUID();
    await vrsVerify(server.url, token, query(packs[4], { corrUUID }));
    const mine = await vrsRequests(maker, { first: 100 });
    const entry = mine.find((r) => r.corrUuid === corrUUID);
    assert.ok(entry);
    assert.deepEqual(
      [entry.requesterId, entry.requesterGln, entry.manufacturerId, entry.gtin, entry.lot, entry.serial, entry.expiry, entry.context, entry.reqGln, entry.verified],
      [wholesaler.participantId, wholesalerGln, maker.participantId, packs[4].gtin, packs[4].lot, packs[4].serial, EXPIRES_ON, 'dscsaSaleableReturn', wholesalerGln, true],
    );
    assert.ok(mine.every((r) => r.manufacturerId === maker.participantId));
    assert.ok(mine.some((r) => r.verificationFailureReason === 'No_match_GTIN_Serial_Lot'), 'no-match answers are logged too');
    assert.deepEqual(await vrsRequests(otherMaker, { first: 100 }), []);
    const asked = await vrsRequests(wholesaler, { first: 100 });
    assert.ok(asked.length > 0 && asked.every((r) => r.requesterId === wholesaler.participantId));
    assert.ok(asked.some((r) => r.manufacturerId === null), 'its unknown-GTIN request');
    const all = await vrsRequests(net.regulator, { first: 100 });
    assert.ok(all.some((r) => r.manufacturerId === null) && all.some((r) => r.requesterId !== wholesaler.participantId));
    // Pages: newest first, `after` the last id.
    const first = await vrsRequests(maker, { first: 2 });
    assert.equal(first.length, 2);
    const next = await vrsRequests(maker, { first: 2, after: first[1].id });
    assert.deepEqual(next.map((r) => r.id), mine.slice(2, 4).map((r) => r.id));
    assert.equal((await refusal(() => vrsRequests(maker, { first: 101 }))).code, 'BAD_REQUEST');
  });

  it('tokens: shown once, stored only as SHA-256; listed without the token; only trading partners; revoking another’s answers like an unknown id', async () => {
    const issued = await issueVrsToken(wholesaler, 'scanner 2');
    assert.match(issued.token, /^[A-Za-z0-9_-]{43}$/);
    const [row] = await server.runtime.dataSource.query('SELECT * FROM vrs_tokens WHERE id = $1', [issued.id]);
    assert.equal(row.token_sha256, createHash('sha256').update(issued.token).digest('hex'));
    assert.ok(!Object.values(row).some((v) => typeof v === 'string' && v.includes(issued.token)), 'the token itself is stored nowhere');
    const listed = await myVrsTokens(wholesaler);
    const mine = listed.find((t) => t.id === issued.id);
    assert.ok(mine && !('token' in mine));
    assert.ok(listed.some((t) => t.revokedAt !== null), 'the revoked one is listed as revoked');
    assert.ok(listed.find((t) => t.label === 'returns desk')?.lastUsedAt, 'last use recorded');
    assert.equal((await refusal(() => revokeVrsToken(otherMaker, issued.id))).code, 'UNKNOWN_VRS_TOKEN');
    assert.equal((await refusal(() => revokeVrsToken(otherMaker, 'vrs-token:nope'))).code, 'UNKNOWN_VRS_TOKEN');
    assert.equal((await refusal(() => issueVrsToken(net.regulator, 'regulator'))).code, 'FORBIDDEN_ROLE');
    assert.equal((await refusal(() => myVrsTokens(net.regulator))).code, 'FORBIDDEN_ROLE');
    assert.ok(!(await myVrsTokens(otherMaker)).some((t) => t.id === issued.id), 'tokens are their holder’s only');
    assert.equal((await refusal(() => issueVrsToken(wholesaler, '  '))).code, 'VRS_TOKEN_LABEL_INVALID');
    assert.equal((await refusal(() => issueVrsToken(wholesaler, 'desk\u202e1'))).code, 'VRS_TOKEN_LABEL_INVALID');
    assert.equal((await refusal(() => issueVrsToken(wholesaler, 'desk\n1'))).code, 'VRS_TOKEN_LABEL_INVALID');
    const before = Number((await server.runtime.dataSource.query('SELECT count(*) AS n FROM vrs_tokens'))[0].n);
    assert.equal((await refusal(() => issueVrsToken(wholesaler, 'x'.repeat(101)))).code, 'VRS_TOKEN_LABEL_INVALID');
    assert.equal(Number((await server.runtime.dataSource.query('SELECT count(*) AS n FROM vrs_tokens'))[0].n), before, 'a refused issue stores nothing');
  });

  it('the CLI: vrs token issue (printed once), list (never the token), revoke (then 401); bad usage exits 2, a refusal 1', async () => {
    const keyFile = join(server.environment.env.PHARMATRACE_DATA_DIR, `${wholesaler.participantId}.json`);
    writeKeyFile(keyFile, wholesaler.key);
    const cli = (args: string[]) => runCli(['vrs', 'token', ...args, '--server', server.url, '--key', keyFile], server.environment.env);
    const issued = await cli(['issue', '--label', 'cli scanner', '--json']);
    assert.equal(issued.code, 0, issued.stderr);
    const t = JSON.parse(issued.stdout) as { id: string; token: string };
    assert.equal((await vrsVerify(server.url, t.token, query(packs[0]))).data.verified, true);
    const listed = await cli(['list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(listed.stdout.includes(t.id) && !listed.stdout.includes(t.token));
    assert.equal((await cli(['revoke', '--id', t.id])).code, 0);
    assert.equal((await refusedUnlogged(() => vrsVerify(server.url, t.token, query(packs[0])))).status, 401);
    assert.equal((await cli(['issue'])).code, 2);
    const unknown = await cli(['revoke', '--id', 'vrs-token:none']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^UNKNOWN_VRS_TOKEN: /);
  });

  it('at most 20 active tokens per participant', async () => {
    const pharmacy = await net.join('pharmacy', 'vrs-busy-pharmacy');
    for (let i = 0; i < 20; i++) await issueVrsToken(pharmacy, `terminal ${i}`);
    assert.equal((await refusal(() => issueVrsToken(pharmacy, 'one too many'))).code, 'VRS_TOKEN_LIMIT');
    const [oldest] = (await myVrsTokens(pharmacy)).slice(-1);
    await revokeVrsToken(pharmacy, oldest.id);
    assert.ok((await issueVrsToken(pharmacy, 'replacement')).token);
  });
});

describe('DSCSA verification responder: rate limit per participant', () => {
  let server: TestServer;
  after(async () => server?.close());

  it('past the per-participant budget: 429 with Retry-After, nothing logged', async () => {
    server = await startTestServer(undefined, { RATE_LIMIT_MUTATIONS_PER_PARTICIPANT: '5' });
    const net = await createTestNetwork(server);
    const wholesaler = await net.join('wholesaler', 'vrs-rl-wholesaler');
    const { token } = await issueVrsToken(wholesaler, 'busy');
    const q: VrsQuery = { gtin: '09506000134352', lot: 'L1', serial: 'S1', expiry: EXP };
    for (let i = 0; i < 5; i++) await vrsVerify(server.url, token, q);
    const url = `${server.url}/verify/gtin/${q.gtin}/lot/${q.lot}/ser/${q.serial}?exp=${EXP}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'RATE_LIMITED');
    assert.equal(Number((await server.runtime.dataSource.query('SELECT count(*) AS n FROM vrs_requests'))[0].n), 5);
  });
});
