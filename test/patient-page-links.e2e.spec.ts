// The GS1 Digital Link resolver (docs/patient-page.md): every accepted link form resolves to the same pack,
// malformed links get a 400 page that says what is wrong (and no scan is stored), the JSON proof
// re-verifies with libs/ledger-core alone, scans are stored coarsely (no IP), the page's device route,
// the page's security headers and the per-client rate limit — all through real HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gs1CheckDigit } from '@pharmatrace/gs1';
import { blockHeaderHash, fromBase64Url, fromHex, leafHash, toHex, verifyBlockHeader, verifyInclusion } from '@pharmatrace/ledger-core';
import { generateKeyFile, keySpecOf, PharmaTraceClient, registerBatch, registerParticipant, registerProduct, resolvePackLink } from '@pharmatrace/sdk';
import type { PackReport } from '@pharmatrace/verification';
import { sealEverything, startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, LICENCE, refusedWithNothingStored, TestNetwork, uniqueGln } from './support/test-network';
import { productSpec } from './support/custody-fixture';
import { deliveredPacks, headline, joinWithTown, openJson, openPage, Pack, packLink, readable, scanCount } from './support/patient-page-fixture';

/** A GTIN-14 with six leading zeros, so that the same product can be written as a GTIN-8, -12, -13 or -14. */
function shortGtin(): string {
  const body = `000000${String(Date.now() % 1e6).padStart(6, '0')}0`.slice(0, 13);
  return `${body}${gs1CheckDigit(body)}`;
}

const yymmdd = (iso: string): string => `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
/** Percent-encodes every character outside unreserved, with upper-case hex. */
const encode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** Percent-encodes every character (as some label printers do), hex in upper or lower case. */
const encodeAll = (text: string, hex: 'upper' | 'lower'): string =>
  [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')[hex === 'upper' ? 'toUpperCase' : 'toLowerCase']()}`).join('');

describe('patient page: Digital Link forms, refusals, proof, scans and headers', () => {
  let server: TestServer;
  let net: TestNetwork;
  let maker: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let packs: Pack[];
  let awkward: Pack;

  before(async () => {
    server = await startTestServer(undefined, { SEAL_DEBOUNCE_MS: '50' });
    net = await createTestNetwork(server);
    maker = await joinWithTown(server, net.regulator, 'manufacturer', 'pl-maker', 'Basel');
    pharmacy = await joinWithTown(server, net.regulator, 'pharmacy', 'pl-pharmacy', 'Bern');
    const gtin = shortGtin();
    await registerProduct(maker, productSpec(gtin));
    // Registered lots and serials are letters, digits, ".", "_" and "-" (a narrower set than GS1's 82).
    const lot = `A-${Date.now() % 1e5}.L`;
    const batch = (await registerBatch(maker, { gtin, lot, quantity: 50, manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).id;
    packs = await deliveredPacks(server, maker, batch, 4, pharmacy);
    [awkward] = await deliveredPacks(server, maker, batch, [`S-1.2_${Date.now() % 1e5}`], pharmacy);
  });
  after(async () => server?.close());

  it('every accepted Digital Link form resolves to the same pack', async () => {
    const p = awkward;
    const base = server.url;
    const [host, port] = [new URL(base).hostname, new URL(base).port];
    const path = (gtin: string) => `/01/${gtin}/10/${encode(p.lot)}/21/${encode(p.serial)}?17=${yymmdd(p.expiresOn)}`;
    const escaped = (hex: 'upper' | 'lower') => `/01/${p.gtin}/10/${encodeAll(p.lot, hex)}/21/${encodeAll(p.serial, hex)}?17=${yymmdd(p.expiresOn)}`;
    const forms: Array<[string, string]> = [
      ['canonical, GTIN-14', `${base}${path(p.gtin)}`],
      ['lot as ?10=', `${base}/01/${p.gtin}/21/${encode(p.serial)}?10=${encode(p.lot)}&17=${yymmdd(p.expiresOn)}`],
      ['lot both in the path and as ?10=', `${base}${path(p.gtin)}&10=${encode(p.lot)}`],
      ['GTIN-13 unpadded', `${base}${path(p.gtin.slice(1))}`],
      ['GTIN-12 unpadded', `${base}${path(p.gtin.slice(2))}`],
      ['GTIN-8 unpadded', `${base}${path(p.gtin.slice(6))}`],
      ['every character percent-encoded, upper-case hex', `${base}${escaped('upper')}`],
      ['every character percent-encoded, lower-case hex', `${base}${escaped('lower')}`],
      ['lot as ?10= percent-encoded', `${base}/01/${p.gtin}/21/${encode(p.serial)}?10=${encodeAll(p.lot, 'lower')}&17=${yymmdd(p.expiresOn)}`],
      ['extra query parameters', `${base}${path(p.gtin)}&utm_source=leaflet&foo=bar&region=CH`],
      ['no lot or expiry at all', `${base}/01/${p.gtin}/21/${encode(p.serial)}`],
      ['upper-case scheme and host', `HTTP://${host.toUpperCase()}:${port}${path(p.gtin)}`],
    ];
    for (const [name, url] of forms) {
      const { status, body } = await openJson(url);
      assert.equal(status, 200, `${name}: ${url}`);
      assert.deepEqual([body.scanned.gtin, body.scanned.serial], [p.gtin, p.serial], name);
      assert.ok(body.verdict.safeToUse, `${name}: ${JSON.stringify(body.verdict.reasons)}`);
      if (!name.startsWith('no lot')) assert.deepEqual(body.batch, { lot: p.lot, expiresOn: p.expiresOn }, name);
      // A link without lot and expiry is not a printed label (a guess needs only GTIN and serial): the verdict alone.
      else assert.deepEqual([body.batch, body.journey, body.ledger], [null, [], null], name);
      const page = await openPage(url);
      assert.equal(headline(page.body), 'This medicine is genuine and safe to use', name);
    }
  });

  it('percent-encoded "/", "%", "&" and "+" in lot and serial are read as those characters, and escaped on the page', async () => {
    const p = packs[0];
    for (const hex of ['upper', 'lower'] as const) {
      const lot = 'L/1%2&3+4';
      const serial = 'S/5%6&7+8';
      const enc = (t: string) => t.replace(/[/%&+]/g, (c) => `%${c.charCodeAt(0).toString(16)[hex === 'upper' ? 'toUpperCase' : 'toLowerCase']()}`);
      const url = `${server.url}/01/${p.gtin}/10/${enc(lot)}/21/${enc(serial)}?17=${yymmdd(p.expiresOn)}`;
      const { status, body } = await openJson(url);
      assert.equal(status, 200);
      assert.deepEqual([body.scanned.lot, body.scanned.serial], [lot, serial], hex);
      // No pack carries them (registered lots and serials use a narrower set): unknown, said plainly.
      assert.deepEqual(body.verdict.reasons.map((r) => r.code), ['UNKNOWN_SERIAL', 'UNKNOWN_BATCH']);
      const page = await openPage(url);
      assert.ok(page.body.includes('S/5%6&amp;7+8') && !page.body.includes('S/5%6&7+8'), 'the serial is shown, escaped');
      assert.ok(readable(page.body).includes(`Serial number ${serial}`));
    }
  });

  it('malformed links: 400, a page (or JSON error) that says what is wrong, and no scan stored', async () => {
    const p = packs[0];
    const wrongCheckDigit = `${p.gtin.slice(0, 13)}${(Number(p.gtin[13]) + 1) % 10}`;
    const links: Array<[string, string]> = [
      ['a GTIN of 11 digits', `/01/12345678901/21/X1`],
      ['a wrong check digit', `/01/${wrongCheckDigit}/21/${encode(p.serial)}`],
      ['no serial', `/01/${p.gtin}/10/${encode(p.lot)}`],
      ['an impossible expiry', `/01/${p.gtin}/21/${encode(p.serial)}?17=281341`],
      ['a broken escape in the query', `/01/${p.gtin}/21/${encode(p.serial)}?10=L%ZZ`],
      ['two different lots', `/01/${p.gtin}/10/L1/21/${encode(p.serial)}?10=L2`],
      ['a serial of 21 characters', `/01/${p.gtin}/21/${'9'.repeat(21)}`],
    ];
    const before = await scanCount(server);
    for (const [name, path] of links) {
      const app = await openJson<{ error: { code: string; message: string } }>(`${server.url}${path}`);
      assert.equal(app.status, 400, name);
      assert.match(app.body.error.code, /^INVALID_(SCAN|GTIN|SERIAL|LOT|EXPIRY)$/, name);
      assert.ok(app.body.error.message.length > 20, name);
      const page = await openPage(`${server.url}${path}`);
      assert.equal(page.status, 400, name);
      assert.equal(headline(page.body), 'This code is not a valid medicine code', name);
      assert.ok(readable(page.body).includes(app.body.error.message), `${name}: the page gives the refusal's sentence`);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    }
    // A broken escape in the path is refused by Fastify's router before any route runs (FST_ERR_BAD_URL):
    // apps/api/src/digital-link/bad-url.ts answers it with the same page, and the same JSON for apps.
    const brokenPath = await openPage(`${server.url}/01/${p.gtin}/21/AB%ZZ`);
    assert.equal(brokenPath.status, 400);
    assert.equal(headline(brokenPath.body), 'This code is not a valid medicine code');
    assert.match(readable(brokenPath.body), /percent-encoding is broken/);
    const brokenJson = await fetch(`${server.url}/01/${p.gtin}/21/AB%ZZ`, { headers: { accept: 'application/json' } });
    assert.equal(brokenJson.status, 400);
    assert.equal(((await brokenJson.json()) as { error: { code: string } }).error.code, 'INVALID_SCAN');
    const sdk = await resolvePackLink(`${server.url}/01/12345678901/21/X1`).then(() => null, (e: { code: string }) => e.code);
    assert.equal(sdk, 'INVALID_GTIN', 'the SDK helper throws the refusal with its code');
    assert.equal(await scanCount(server), before, 'no scan is stored for a refused link');
  });

  it('the JSON ledger proof re-verifies offline with libs/ledger-core alone, against the pinned ledger key', async () => {
    await sealEverything(server);
    // Through the SDK, as an app would.
    const body = await resolvePackLink(packLink(server, packs[1]));
    const ledger = body.ledger!;
    assert.equal(ledger.status, 'verified');
    const block = ledger.block!;
    const proof = ledger.inclusionProof!;
    // The ledger key is pinned from the well-known document, not taken from the report.
    const wellKnown = (await (await fetch(`${server.url}/.well-known/pharmatrace-ledger`)).json()) as { keys: Array<{ kid: string; publicKey: string }> };
    const key = wellKnown.keys.find((k) => k.kid === block.ledgerKeyId)!;
    const header = verifyBlockHeader({ header: block.header, kid: block.ledgerKeyId, sig: block.signature }, fromBase64Url(key.publicKey));
    assert.ok(header.ok);
    assert.equal(blockHeaderHash(block.header), block.headerHash);
    const leaf = leafHash(fromHex(ledger.event.hash));
    assert.equal(toHex(leaf), ledger.leafHash);
    assert.equal(proof.leafIndex, ledger.event.seq - 1);
    assert.ok(verifyInclusion(leaf, proof.leafIndex, proof.treeSize, proof.auditPath.map(fromHex), fromHex(block.header.rootHash)));
    // One hash changed: the proof no longer leads to the root.
    const tampered = [...proof.auditPath];
    if (tampered.length > 0) {
      tampered[0] = `${tampered[0][0] === '0' ? '1' : '0'}${tampered[0].slice(1)}`;
      assert.equal(verifyInclusion(leaf, proof.leafIndex, proof.treeSize, tampered.map(fromHex), fromHex(block.header.rootHash)), false);
    }
    const page = await openPage(packLink(server, packs[1]));
    const text = readable(page.body);
    assert.ok(text.includes('Inclusion verified on this server'));
    assert.ok(text.includes(block.headerHash), 'the header hash is shown in full');
    assert.ok(text.includes(`${block.number}, sealed`));
  });

  it('scans are stored coarsely: channel, verdict, a region and device the client gave — no IP address', async () => {
    const p = packs[2];
    await openJson(packLink(server, p), { 'scan-region': 'CH-BE', 'scan-device': 'app-device-0123456789' });
    await openPage(packLink(server, p));
    const rows: Array<Record<string, unknown>> = await server.runtime.dataSource.query('SELECT * FROM pack_scans WHERE gtin = $1 AND serial = $2 ORDER BY scanned_at', [p.gtin, p.serial]);
    assert.deepEqual(rows.map((r) => [r.channel, r.status, r.reasons, r.region, r.device_id]), [
      ['app', 'active', [], 'CH-BE', 'app-device-0123456789'],
      ['page', 'active', [], null, null],
    ]);
    assert.deepEqual(Object.keys(rows[0]).sort(), ['channel', 'checked_at', 'device_id', 'gtin', 'id', 'reasons', 'region', 'scanned_at', 'serial', 'status']);
    assert.ok(!JSON.stringify(rows).includes('127.0.0.1'), 'no address is kept');
    // A region or device that is not one (free text, an address) is dropped, not stored.
    await openJson(packLink(server, p), { 'scan-region': 'somewhere 10.0.0.1', 'scan-device': 'x' });
    const [last]: Array<{ region: string | null; device_id: string | null }> = await server.runtime.dataSource.query('SELECT region, device_id FROM pack_scans WHERE serial = $1 ORDER BY scanned_at DESC LIMIT 1', [p.serial]);
    assert.deepEqual(last, { region: null, device_id: null });
    // A HEAD (link checkers, chat previews) is answered but is no scan.
    const before = await scanCount(server);
    const head = await fetch(packLink(server, p), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await scanCount(server), before, 'a HEAD records no scan');
  });

  it('the page names its device: 204; malformed bodies 400 INVALID_SCAN_DEVICE; nothing stored on a refusal or a second naming', async () => {
    const page = await openPage(packLink(server, packs[3]));
    const scanId = /encodeURIComponent\("([0-9a-f-]{36})"\)/.exec(page.body)![1];
    const post = (id: string, body: unknown) => fetch(`${server.url}/scans/${id}/device`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const stored = async () => (await server.runtime.dataSource.query('SELECT region, device_id FROM pack_scans WHERE id = $1', [scanId]))[0];

    for (const bad of [{ deviceId: 'short', region: null }, { deviceId: 'd'.repeat(22), region: 'not a region!' }, { region: 'Europe/Zurich' }, ['x']]) {
      const res = await post(scanId, bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'INVALID_SCAN_DEVICE');
    }
    assert.equal((await post('not-a-uuid', { deviceId: 'd'.repeat(22), region: null })).status, 400);
    assert.deepEqual(await stored(), { region: null, device_id: null }, 'nothing stored on a refusal');

    const res = await post(scanId, { deviceId: 'Abc_def-0123456789xyzQ', region: 'Europe/Zurich' });
    assert.equal(res.status, 204);
    assert.deepEqual(await stored(), { region: 'Europe/Zurich', device_id: 'Abc_def-0123456789xyzQ' });
    // A second naming changes nothing.
    await post(scanId, { deviceId: 'Other_device_0123456789', region: null });
    assert.deepEqual(await stored(), { region: 'Europe/Zurich', device_id: 'Abc_def-0123456789xyzQ' });
  });

  it('an unknown or already named scan answers 404 SCAN_NOT_ATTACHABLE', async () => {
    const page = await openPage(packLink(server, packs[3]));
    const scanId = /encodeURIComponent\("([0-9a-f-]{36})"\)/.exec(page.body)![1];
    const post = (id: string, body: unknown) => fetch(`${server.url}/scans/${id}/device`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post(scanId, { deviceId: 'First_device_0123456789', region: null })).status, 204);
    const again = await post(scanId, { deviceId: 'Other_device_0123456789', region: null });
    assert.equal(again.status, 404);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'SCAN_NOT_ATTACHABLE');
    assert.equal((await post('00000000-0000-4000-8000-000000000000', { deviceId: 'd'.repeat(22), region: null })).status, 404);
  });

  it('a participant’s town: registered, shown on GraphQL; control characters or more than 100 characters refused with nothing stored', async () => {
    const answer = await net.regulator.query<{ participant: { town: string | null } }>('query($id: String!) { participant(id: $id) { town } }', { id: 'pl-pharmacy' });
    assert.equal(answer.participant.town, 'Bern');
    // Registered without a town (as before towns existed): still valid, town null.
    const plain = await net.join('wholesaler', 'pl-no-town');
    const none = await net.regulator.query<{ participant: { town: string | null } }>('query($id: String!) { participant(id: $id) { town } }', { id: plain.participantId });
    assert.equal(none.participant.town, null);
    for (const [name, town] of [['a control character', 'Bern\u0007'], ['a bidirectional override', 'Bern\u202e'], ['101 characters', 'B'.repeat(101)], ['empty', '']]) {
      const key = generateKeyFile('x operator', 'operator', `pl-town-${name.length}`);
      const r = await refusedWithNothingStored(server, 'INVALID_EVENT_DATA', () =>
        registerParticipant(net.regulator, { id: `pl-town-${name.length}`, legalName: 'X Ltd', role: 'pharmacy', gln: uniqueGln(), town, licence: LICENCE, keys: [keySpecOf(key)] }),
      );
      assert.match(r.message, /town/, name);
    }
  });

  it('headers and markup: a CSP that forbids every other host, nonce’d style and script, no external URL in src or href', async () => {
    for (const url of [packLink(server, packs[0], maker), `${server.url}/01/123/21/X`]) {
      const page = await openPage(url);
      const csp = page.headers.get('content-security-policy')!;
      const nonce = /'nonce-([A-Za-z0-9_-]+)'/.exec(csp)![1];
      assert.equal(csp, `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.equal(page.headers.get('vary'), 'Accept');
      assert.match(page.body, /^<!doctype html>\n<html lang="en">/);
      assert.ok(page.body.includes('<meta name="viewport" content="width=device-width, initial-scale=1">'));
      for (const tag of page.body.match(/<(style|script)\b[^>]*>/g) ?? []) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
      assert.deepEqual(page.body.match(/\b(?:src|href)\s*=\s*["']?[a-z]+:/gi) ?? [], [], 'no src or href to any URL');
      assert.ok(!/<link\b|@import|url\(/i.test(page.body), 'no stylesheet or font from elsewhere');
    }
  });
});

describe('patient page: the per-client rate limit', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(undefined, { RATE_LIMIT_PUBLIC_PER_CLIENT: '2' });
  });
  after(async () => server?.close());

  it('answers 429 with Retry-After: a page for browsers, RATE_LIMITED for apps', async () => {
    const url = `${server.url}/01/00000000000000/21/X`;
    await openPage(url);
    await openPage(url);
    const page = await openPage(url);
    assert.equal(page.status, 429);
    assert.ok(Number(page.headers.get('retry-after')) >= 1);
    assert.equal(headline(page.body), 'Too many checks from this connection');
    const app = await openJson<{ error: { code: string } }>(url);
    assert.deepEqual([app.status, app.body.error.code], [429, 'RATE_LIMITED']);
  });
});
