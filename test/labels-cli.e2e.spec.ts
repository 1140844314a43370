// Pack labels with `npm run cli` against a running server, as a manufacturer would script it: sign and
// register a batch's labels with its key file, write the batch's sheet and one pack's PNG/SVG, and decode
// the PNG back to the signed link; refusals exit 1 with the server's code, bad usage exit 2, and no progress
// bar reaches a stderr that is not a terminal (clig.dev). Each step runs as its own CLI process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64Url, verifyPackLabel } from '@pharmatrace/ledger-core';
import { isoToGs1Date, parsePackScan, readPackLinkSignature } from '@pharmatrace/gs1';
import { decodeQrPng } from '@pharmatrace/labels/label-test-support';
import { parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import { commissionPacks, PharmaTraceClient, writeKeyFile } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';

const EXPIRES_ON = '2028-01-31';

describe('labels CLI', () => {
  let server: TestServer;
  let maker: PharmaTraceClient;
  let otherMaker: PharmaTraceClient;
  let dir: string;
  let gtin: string;
  let lot: string;
  let serials: string[];
  const keyPath = (c: PharmaTraceClient) => join(dir, `${c.participantId}.json`);
  const cli = (who: PharmaTraceClient, args: string[]) => runCli([...args, '--server', server.url, '--key', keyPath(who)], server.environment.env);
  const ok = async (who: PharmaTraceClient, args: string[]) => {
    const r = await cli(who, args);
    assert.equal(r.code, 0, `${args.slice(0, 2).join(' ')}: ${r.stderr}${r.stdout}`);
    assert.equal(r.stderr, '', 'no progress bar on a stderr that is not a terminal');
    return r.stdout;
  };
  const refused = async (who: PharmaTraceClient, args: string[], code: string) => {
    const r = await cli(who, args);
    assert.equal(r.code, 1, `${r.stderr}${r.stdout}`);
    assert.match(r.stderr, new RegExp(`^${code}: .{20,}`), r.stderr);
  };

  before(async () => {
    server = await startTestServer(undefined, { PUBLIC_BASE_URL: 'https://pharmatrace.example.org' });
    const net = await createTestNetwork(server);
    [maker, otherMaker] = await Promise.all([net.join('manufacturer', 'lc-maker'), net.join('manufacturer', 'lc-other')]);
    dir = mkdtempSync(join(tmpdir(), 'labels-cli-'));
    for (const c of [maker, otherMaker]) writeKeyFile(keyPath(c), c.key);
    const made = await productAndBatch(maker, 100, { manufacturedOn: '2026-01-10', expiresOn: EXPIRES_ON });
    const ids = parseBatchAssetId(made.batch);
    assert.ok(ids);
    ({ gtin, lot } = ids);
    serials = (await commissionPacks(maker, made.batch, 45)).serials;
  });
  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--help everywhere, exit 0; bad usage exits 2 and says what to fix', async () => {
    for (const args of [['labels', '--help'], ['labels', 'sign', '--help'], ['labels', 'sheet', '--help'], ['labels', 'pack', '--help']]) {
      const r = await runCli(args, server.environment.env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /usage:/);
    }
    const badGtin = await cli(maker, ['labels', 'sign', '--gtin', '123', '--lot', lot]);
    assert.equal(badGtin.code, 2);
    assert.match(badGtin.stderr, /--gtin must be a GTIN/);
    const badFormat = await cli(maker, ['labels', 'pack', '--gtin', gtin, '--serial', serials[0], '--format', 'jpg', '--out', join(dir, 'x')]);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be svg or png/);
  });

  it('the sheet of a batch without labels is refused with NO_LABELS, and no file is written', async () => {
    await refused(maker, ['labels', 'sheet', '--gtin', gtin, '--lot', lot, '--out', join(dir, 'early.html')], 'NO_LABELS');
    assert.equal(existsSync(join(dir, 'early.html')), false);
  });

  it('labels sign signs and registers every pack; running it again changes nothing', async () => {
    const first = JSON.parse(await ok(maker, ['labels', 'sign', '--gtin', gtin, '--lot', lot, '--json'])) as { registered: number; total: number; kid: string };
    assert.deepEqual([first.registered, first.total, first.kid], [45, 45, maker.key.kid]);
    const again = await ok(maker, ['labels', 'sign', '--gtin', gtin, '--lot', lot]);
    assert.match(again, /0 registered, 0 replaced, 45 already registered \(of 45 packs\)/);
  });

  it('labels sheet streams every label into the file', async () => {
    const out = join(dir, 'sheet.html');
    const printed = JSON.parse(await ok(maker, ['labels', 'sheet', '--gtin', gtin, '--lot', lot, '--out', out, '--json'])) as { labels: number };
    assert.equal(printed.labels, 45);
    const html = readFileSync(out, 'utf8');
    assert.equal((html.match(/class="pack-label"/g) ?? []).length, 45);
    for (const s of serials) assert.ok(html.includes(`>SN ${s}</text>`), s);
  });

  it('labels pack writes a PNG that decodes to the signed link, verifiable offline, and an SVG', async () => {
    const png = join(dir, 'one.png');
    await ok(maker, ['labels', 'pack', '--gtin', gtin, '--serial', serials[7], '--format', 'png', '--out', png]);
    const uri = decodeQrPng(readFileSync(png));
    const scan = parsePackScan(uri, { now: new Date() });
    const label = readPackLinkSignature(uri);
    assert.ok(scan.ok && scan.pack.lot === lot && scan.pack.serial === serials[7] && label);
    const fields = { gtin, lot, serial: serials[7], expiry: isoToGs1Date(EXPIRES_ON), kid: label.kid };
    assert.equal(verifyPackLabel(fields, label.signature, fromBase64Url(maker.key.publicKey)), true);
    const svg = join(dir, 'one.svg');
    assert.match(await ok(maker, ['labels', 'pack', '--gtin', gtin, '--serial', serials[7], '--format', 'svg', '--out', svg]), /Wrote the SVG label/);
    assert.match(readFileSync(svg, 'utf8'), new RegExp(`>SN ${serials[7]}</text>`));
  });

  it('another manufacturer is refused everywhere, as if the batch had no labels', async () => {
    await refused(otherMaker, ['labels', 'sign', '--gtin', gtin, '--lot', lot], 'UNKNOWN_BATCH');
    await refused(otherMaker, ['labels', 'sheet', '--gtin', gtin, '--lot', lot, '--out', join(dir, 'stolen.html')], 'UNKNOWN_BATCH');
    await refused(otherMaker, ['labels', 'pack', '--gtin', gtin, '--serial', serials[0], '--format', 'png', '--out', join(dir, 'stolen.png')], 'UNKNOWN_LABEL');
  });
});
