// The custody CLI's lists end to end against a running server: a serial with a space stays one serial
// (and the server refuses it), and what `commission --out` writes is what `pack --items-file` takes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { item, PharmaTraceClient, writeKeyFile } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import { newSscc, productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';

describe('custody CLI: lists and files', () => {
  let server: TestServer;
  let maker: PharmaTraceClient;
  let keyFile: string;
  let dir: string;
  const cli = (args: string[]) => runCli([...args, '--server', server.url, '--key', keyFile], server.environment.env);

  before(async () => {
    server = await startTestServer();
    dir = server.environment.env.PHARMATRACE_DATA_DIR;
    const net = await createTestNetwork(server);
    maker = await net.join('manufacturer', 'lists-maker');
    keyFile = join(dir, 'lists-maker.json');
    writeKeyFile(keyFile, maker.key);
  });
  after(async () => server?.close());

  it('commission --serials "ABC 1" sends one serial, which the server refuses as INVALID_SERIAL; no pack is created', async () => {
    const { gtin, batch } = await productAndBatch(maker, 10);
    const before = await server.eventCount();
    const r = await cli(['commission', '--batch', batch, '--serials', 'ABC 1']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^INVALID_SERIAL: data\.serials\[0\] "ABC 1" is not a GS1 AI \(21\) serial/);
    assert.equal(await server.eventCount(), before, 'a refused commissioning must store nothing');
    for (const serial of ['ABC 1', 'ABC', '1']) assert.equal(await item(maker, packAssetId(gtin, serial)), null, serial);
  });

  it('refuses an empty entry in a list instead of skipping it, before anything is sent', async () => {
    const { batch } = await productAndBatch(maker, 10);
    const before = await server.eventCount();
    const r = await cli(['commission', '--batch', batch, '--serials', 'A1,,A2']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--serials: entry 2 is empty/);
    const both = await cli(['commission', '--batch', batch, '--count', '2', '--serials', 'A1']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give --count or --serials\/--serials-file, not both/);
    assert.equal(await server.eventCount(), before);
  });

  it('what commission --out writes is taken as is by pack --items-file (a serial with a comma included)', async () => {
    const { gtin, batch } = await productAndBatch(maker, 10);
    const serialsFile = join(dir, 'serials.txt');
    writeFileSync(serialsFile, 'S-1\n"S,2"\n  S3 \n');
    const out = join(dir, 'packs.txt');
    const commissioned = await cli(['commission', '--batch', batch, '--serials-file', serialsFile, '--out', out]);
    assert.equal(commissioned.code, 0, commissioned.stderr);
    assert.deepEqual(JSON.parse(commissioned.stdout), { events: 1, packs: 3, itemsFile: out });
    const ids = [packAssetId(gtin, 'S-1'), packAssetId(gtin, 'S,2'), packAssetId(gtin, 'S3')];
    assert.equal(readFileSync(out, 'utf8'), `${ids[0]}\n"${ids[1]}"\n${ids[2]}\n`);

    const container = newSscc();
    const packed = await cli(['pack', '--container', container, '--kind', 'case', '--new', '--items-file', out]);
    assert.equal(packed.code, 0, packed.stderr);
    for (const id of ids) assert.equal((await item(maker, id))?.parentId, container, id);

    const unpacked = await cli(['unpack', '--container', container, '--items-file', out]);
    assert.equal(unpacked.code, 0, unpacked.stderr);
    for (const id of ids) assert.equal((await item(maker, id))?.parentId, null, id);
  });
});
