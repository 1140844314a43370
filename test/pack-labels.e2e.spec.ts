// Pack labels (issue 10, "The code on the pack"), end to end through the SDK against the real API: the
// manufacturer signs its batch's labels with its own key and registers them, downloads one pack's PNG and
// SVG and decodes the PNG back to the signed link, and streams a batch's sheet. Every refusal asserts its
// stable code and that no label was stored; labels are never served to anyone but the manufacturer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64Url, verifyPackLabel } from '@pharmatrace/ledger-core';
import { isoToGs1Date, parsePackScan, readPackLinkSignature } from '@pharmatrace/gs1';
import { assertWellFormedXml, decodeQrPng } from '@pharmatrace/labels/label-test-support';
import {
  addKey, batchSerialsPage, commissionPacks, downloadLabel, downloadLabelSheet, generateKeyFile, keySpecOf, PharmaTraceClient, registerBatch,
  registerPackLabels, registerProduct, revokeKey, signAndRegisterBatchLabels, signPackLabels,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, refusal, TestNetwork } from './support/test-network';
import { newGtin, productSpec } from './support/custody-fixture';

const DATES = { manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' };
let lotCounter = 0;

describe('pack labels', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let otherMaker: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let gtin: string;

  const labelCount = async (): Promise<number> => Number((await server.runtime.dataSource.query('SELECT count(*) AS n FROM pack_labels'))[0].n);
  /** Refused with `code`, and neither a label nor an event was stored. */
  async function refusedWithNothingStored(code: string, fn: () => Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
    const [labels, events] = [await labelCount(), await server.eventCount()];
    const r = await refusal(fn);
    assert.equal(r.code, code, r.message);
    assert.ok(r.message.length > 20, 'a sentence a person can act on');
    assert.equal(await labelCount(), labels, 'a refused registration stores no label');
    assert.equal(await server.eventCount(), events);
    return r;
  }
  async function newBatch(quantity: number, packs: number, g = gtin, client = maker): Promise<{ lot: string; serials: string[] }> {
    const lot = `LB${Date.now() % 1e5}${lotCounter++}`;
    const { id } = await registerBatch(client, { gtin: g, lot, quantity, ...DATES });
    const { serials } = await commissionPacks(client, id, packs);
    return { lot, serials };
  }
  const raw = (client: PharmaTraceClient, input: Record<string, unknown>) =>
    client.query('mutation($i: RegisterPackLabelsInput!) { registerPackLabels(input: $i) { registered unchanged replaced } }', { i: input });
  async function getRaw(path: string, token?: string): Promise<{ status: number; code?: string }> {
    const res = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    return { status: res.status, code: body.errors?.[0]?.extensions?.code };
  }

  before(async () => {
    server = await startTestServer(undefined, { PUBLIC_BASE_URL: 'https://pharmatrace.example.org' });
    net = await createTestNetwork(server);
    [maker, otherMaker, pharmacy] = await Promise.all([net.join('manufacturer', 'pl-maker'), net.join('manufacturer', 'pl-other'), net.join('pharmacy', 'pl-pharmacy')]);
    gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
  });
  after(async () => server?.close());

  describe('one pack: sign, register, download, decode', () => {
    let lot: string;
    let serials: string[];
    before(async () => {
      ({ lot, serials } = await newBatch(20, 10));
    });

    it('registers signatures made with the maker’s key; re-registering them changes nothing', async () => {
      const labels = signPackLabels(maker, gtin, lot, DATES.expiresOn, serials);
      const r = await registerPackLabels(maker, gtin, lot, labels);
      assert.deepEqual({ registered: r.registered, unchanged: r.unchanged, replaced: r.replaced, expiresOn: r.expiresOn, kid: r.kid }, {
        registered: 10, unchanged: 0, replaced: 0, expiresOn: DATES.expiresOn, kid: maker.key.kid,
      });
      const again = await registerPackLabels(maker, gtin, lot, labels);
      assert.deepEqual([again.registered, again.unchanged, again.replaced], [0, 10, 0]);
    });

    it('the PNG decodes back to the signed link, which verifies offline with the public key from packLabelKeys', async () => {
      const png = await downloadLabel(maker, gtin, serials[0], 'png');
      const uri = decodeQrPng(png);
      assert.ok(uri.startsWith(`https://pharmatrace.example.org/01/${gtin}/10/${lot}/21/${serials[0]}?17=${isoToGs1Date(DATES.expiresOn)}&sig=`), uri);
      const scan = parsePackScan(uri, { now: new Date() });
      assert.ok(scan.ok && scan.pack.lot !== null && scan.pack.expiry !== null);
      const label = readPackLinkSignature(uri);
      assert.ok(label);
      // The key an offline app fetches once, anonymously, from the public directory of label keys.
      const anonymous = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query($g: String!) { packLabelKeys(gtin: $g) { manufacturerId keys { kid publicKey validForLabels } } }', variables: { g: gtin } }),
      });
      const keys = ((await anonymous.json()) as { data: { packLabelKeys: { manufacturerId: string; keys: Array<{ kid: string; publicKey: string }> } } }).data.packLabelKeys;
      assert.equal(keys.manufacturerId, maker.participantId);
      const key = keys.keys.find((k) => k.kid === label.kid);
      assert.ok(key, 'the label names one of the manufacturer’s keys');
      const fields = { gtin: scan.pack.gtin, lot: scan.pack.lot, serial: scan.pack.serial, expiry: isoToGs1Date(scan.pack.expiry), kid: label.kid };
      assert.equal(verifyPackLabel(fields, label.signature, fromBase64Url(key.publicKey)), true);
      assert.equal(verifyPackLabel({ ...fields, serial: serials[1] }, label.signature, fromBase64Url(key.publicKey)), false);
    });

    it('the SVG is one well-formed label with the GTIN, SN, LOT and EXP lines', async () => {
      const svg = (await downloadLabel(maker, gtin, serials[1], 'svg')).toString('utf8');
      assertWellFormedXml(svg);
      for (const line of [`GTIN ${gtin}`, `SN ${serials[1]}`, `LOT ${lot}`, `EXP ${DATES.expiresOn}`]) assert.ok(svg.includes(`>${line}</text>`), line);
    });

    it('is never served to anyone else: another maker and a pharmacy get 404 as for a missing label, anonymous 401', async () => {
      for (const client of [otherMaker, pharmacy]) {
        assert.equal((await refusal(() => downloadLabel(client, gtin, serials[0], 'png'))).code, 'UNKNOWN_LABEL');
        assert.equal((await refusal(() => downloadLabelSheet(client, gtin, lot))).code, 'UNKNOWN_BATCH');
      }
      assert.equal((await refusal(() => downloadLabel(maker, gtin, 'NO-SUCH-SERIAL', 'svg'))).code, 'UNKNOWN_LABEL');
      assert.deepEqual(await getRaw(`/labels/01/${gtin}/21/${serials[0]}.png`), { status: 401, code: 'UNAUTHENTICATED' });
      assert.deepEqual(await getRaw(`/labels/01/${gtin}/10/${lot}/sheet`, 'not-a-session'), { status: 401, code: 'SESSION_EXPIRED' });
      await pharmacy.signIn();
      assert.deepEqual(await getRaw(`/labels/01/${gtin}/21/${serials[0]}.svg`, pharmacy.graphql.token ?? ''), { status: 404, code: 'UNKNOWN_LABEL' });
    });

    it('a reprint after a key rotation: the new key’s signature replaces the stored one', async () => {
      const rotated = generateKeyFile('pl-maker operator 2', 'operator', maker.participantId);
      await addKey(maker, maker.participantId, keySpecOf(rotated));
      const makerWithNewKey = new PharmaTraceClient(server.url, rotated);
      const r = await registerPackLabels(makerWithNewKey, gtin, lot, signPackLabels(rotated, gtin, lot, DATES.expiresOn, serials.slice(0, 3)));
      assert.deepEqual([r.registered, r.unchanged, r.replaced], [0, 0, 3]);
      const label = readPackLinkSignature(decodeQrPng(await downloadLabel(maker, gtin, serials[0], 'png')));
      assert.equal(label?.kid, rotated.kid);
    });
  });

  describe('refusals: a stable code, a sentence, nothing stored', () => {
    let lot: string;
    let serials: string[];
    before(async () => {
      ({ lot, serials } = await newBatch(20, 5));
    });

    it('another manufacturer’s product: NOT_PRODUCT_OWNER', async () => {
      await refusedWithNothingStored('NOT_PRODUCT_OWNER', () => registerPackLabels(otherMaker, gtin, lot, signPackLabels(otherMaker, gtin, lot, DATES.expiresOn, serials)));
    });

    it('a pharmacy: FORBIDDEN_ROLE', async () => {
      await refusedWithNothingStored('FORBIDDEN_ROLE', () => registerPackLabels(pharmacy, gtin, lot, signPackLabels(pharmacy, gtin, lot, DATES.expiresOn, serials)));
    });

    it('anonymous: UNAUTHENTICATED', async () => {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($i: RegisterPackLabelsInput!) { registerPackLabels(input: $i) { registered } }', variables: { i: { gtin, lot, kid: maker.key.kid, items: [] } } }),
      });
      const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
      assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
    });

    it('one tampered signature among good ones: LABELS_REJECTED naming its index, and none of the good ones stored', async () => {
      const labels = signPackLabels(maker, gtin, lot, DATES.expiresOn, serials);
      labels[3] = { ...labels[3], signature: labels[4].signature };
      const r = await refusedWithNothingStored('LABELS_REJECTED', () => registerPackLabels(maker, gtin, lot, labels));
      assert.deepEqual((r.details?.errors as Array<{ index: number; code: string }>).map((e) => [e.index, e.code]), [[3, 'LABEL_SIGNATURE_INVALID']]);
    });

    it('a serial of another lot, an unknown serial and a repeated one: each reported by index', async () => {
      const { lot: otherLot, serials: otherSerials } = await newBatch(5, 1);
      const labels = signPackLabels(maker, gtin, lot, DATES.expiresOn, [serials[0], otherSerials[0], 'NEVER-MADE', serials[0]]);
      const r = await refusedWithNothingStored('LABELS_REJECTED', () => registerPackLabels(maker, gtin, lot, labels));
      assert.deepEqual(
        (r.details?.errors as Array<{ index: number; code: string }>).map((e) => [e.index, e.code]),
        [[1, 'LABEL_PACK_NOT_IN_LOT'], [2, 'LABEL_PACK_NOT_IN_LOT'], [3, 'LABEL_DUPLICATE_SERIAL']],
      );
      // A signature over the other lot's identifiers does not pass for this lot either.
      const signedForOtherLot = signPackLabels(maker, gtin, otherLot, DATES.expiresOn, [serials[0]]);
      await refusedWithNothingStored('LABELS_REJECTED', () => registerPackLabels(maker, gtin, lot, signedForOtherLot));
    });

    it('a revoked key: KEY_REVOKED; a key that is not the maker’s: UNKNOWN_KEY', async () => {
      const retired = generateKeyFile('pl-maker retired', 'operator', maker.participantId);
      await addKey(maker, maker.participantId, keySpecOf(retired));
      await revokeKey(maker, maker.participantId, retired.kid, 'retired after rotation');
      const items = signPackLabels(retired, gtin, lot, DATES.expiresOn, serials);
      await refusedWithNothingStored('KEY_REVOKED', () => raw(maker, { gtin, lot, kid: retired.kid, items }));
      const foreign = signPackLabels(otherMaker, gtin, lot, DATES.expiresOn, serials);
      await refusedWithNothingStored('UNKNOWN_KEY', () => raw(maker, { gtin, lot, kid: otherMaker.key.kid, items: foreign }));
    });

    it('over 10,000 items in one call, or none: LABELS_TOO_MANY', async () => {
      const one = signPackLabels(maker, gtin, lot, DATES.expiresOn, [serials[0]])[0];
      const items = Array.from({ length: 10_001 }, () => one);
      await refusedWithNothingStored('LABELS_TOO_MANY', () => raw(maker, { gtin, lot, kid: maker.key.kid, items }));
      await refusedWithNothingStored('LABELS_TOO_MANY', () => raw(maker, { gtin, lot, kid: maker.key.kid, items: [] }));
    });

    it('an unknown batch: UNKNOWN_BATCH; the sheet of a batch without labels: NO_LABELS', async () => {
      await refusedWithNothingStored('UNKNOWN_BATCH', () => registerPackLabels(maker, gtin, 'NO-SUCH-LOT', signPackLabels(maker, gtin, 'NO-SUCH-LOT', DATES.expiresOn, serials)));
      const r = await refusal(() => downloadLabelSheet(maker, gtin, lot));
      assert.equal(r.code, 'NO_LABELS');
      assert.match(r.message, /labels sign/);
    });
  });

  describe('a batch sheet streams every label', () => {
    const PACKS = 2000;
    let lot: string;
    before(async () => {
      ({ lot } = await newBatch(PACKS, PACKS));
    });

    it('signs every commissioned serial a page at a time (batchSerials) and registers them', async () => {
      const first = await batchSerialsPage(maker, gtin, lot, 1000);
      assert.deepEqual([first.commissioned, first.labelled, first.serials.length, first.hasNextPage], [PACKS, 0, 1000, true]);
      let progress = 0;
      const r = await signAndRegisterBatchLabels(maker, gtin, lot, (done) => (progress = done));
      assert.deepEqual([r.total, r.registered, progress], [PACKS, PACKS, PACKS]);
      assert.equal((await refusal(() => batchSerialsPage(otherMaker, gtin, lot))).code, 'UNKNOWN_BATCH');
    });

    it('the sheet announces X-Total-Labels and streams exactly that many labels, in pages of 20', async () => {
      const { total, body } = await downloadLabelSheet(maker, gtin, lot);
      assert.equal(total, PACKS);
      let labels = 0;
      let chunks = 0;
      let tail = '';
      const decoder = new TextDecoder();
      for await (const bytes of body) {
        const text = tail + decoder.decode(bytes, { stream: true });
        labels += (text.match(/class="pack-label"/g) ?? []).length;
        // Keep the last few characters so a marker cut between two chunks is counted once.
        const cut = Math.max(text.lastIndexOf('class="pack-label"') + 1, text.length - 20);
        tail = text.slice(cut);
        chunks++;
      }
      assert.equal(labels, PACKS);
      assert.ok(chunks > 1, 'the sheet arrives in many chunks, not one buffer');
    });

    it('one sheet at a time per manufacturer: a second while the first streams is LABEL_SHEET_BUSY', async () => {
      const first = await downloadLabelSheet(maker, gtin, lot);
      const reader = first.body.getReader();
      await reader.read();
      assert.equal((await refusal(() => downloadLabelSheet(maker, gtin, lot))).code, 'LABEL_SHEET_BUSY');
      await reader.cancel();
    });
  });
});
