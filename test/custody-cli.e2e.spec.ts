// The custody CLI end to end against a running server: register, commission, ship, receive, history.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PharmaTraceClient, writeKeyFile } from '@pharmatrace/sdk';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import { newGtin } from './support/custody-fixture';
import { runCli } from './support/run-cli';

describe('custody CLI', () => {
  let server: TestServer;
  let maker: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let dir: string;
  const keyPath = (c: PharmaTraceClient) => join(dir, `${c.participantId}.json`);
  const cli = async (args: string[]) => {
    const r = await runCli([...args, '--server', server.url], server.environment.env);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  before(async () => {
    server = await startTestServer();
    dir = server.environment.env.PHARMATRACE_DATA_DIR;
    const net = await createTestNetwork(server);
    maker = await net.join('manufacturer', 'cli-maker');
    pharmacy = await net.join('pharmacy', 'cli-pharmacy');
    for (const c of [maker, pharmacy]) writeKeyFile(keyPath(c), c.key);
  });
  after(async () => server?.close());

  it('registers, commissions, ships and receives, and prints an item’s history', async () => {
    const gtin = newGtin();
    await cli(['product', 'register', '--key', keyPath(maker), '--gtin', gtin, '--name', 'Amoxicillin 500 mg', '--ingredient', 'amoxicillin', '--strength', '500 mg',
      '--form', 'capsule', '--min-c', '15', '--max-c', '25', '--max-minutes-out', '240']);
    await cli(['batch', 'register', '--key', keyPath(maker), '--gtin', gtin, '--lot', 'AMX-1', '--manufactured', '2026-03-01', '--expires', '2029-03-01', '--quantity', '10']);
    const serialsFile = join(dir, 'serials.txt');
    await cli(['commission', '--key', keyPath(maker), '--batch', `batch:${gtin}/AMX-1`, '--count', '3', '--out', serialsFile]);
    // commission --out writes the packs' item ids, one a line: the file ship (like pack, dispose…) takes as --items-file.
    const packs = readFileSync(serialsFile, 'utf8').trim().split('\n');
    assert.equal(packs.length, 3);
    assert.ok(packs.every((p) => p.startsWith(packAssetId(gtin, ''))), packs.join(' '));
    const shipped = JSON.parse(await cli(['ship', '--key', keyPath(maker), '--to', pharmacy.participantId, '--items-file', serialsFile])) as { shipment: string };
    // The pharmacy sees what waits for it, and the shipment's and an item's state, before receiving.
    assert.match(await cli(['incoming', '--key', keyPath(pharmacy)]), new RegExp(`^${shipped.shipment}\tfrom cli-maker\t3 item\\(s\\)`, 'm'));
    const waiting = JSON.parse(await cli(['incoming', '--key', keyPath(pharmacy), '--json'])) as Array<{ id: string; state: string }>;
    assert.deepEqual(waiting.map((w) => [w.id, w.state]), [[shipped.shipment, 'in_transit']]);
    assert.match(await cli(['shipment', '--key', keyPath(pharmacy), '--shipment', shipped.shipment]), /\tin_transit\tfrom cli-maker to cli-pharmacy\t3 item\(s\)/);
    assert.equal((JSON.parse(await cli(['item', '--key', keyPath(maker), '--item', packs[0], '--json'])) as { state: string }).state, 'in_transit');
    await cli(['receive', '--key', keyPath(pharmacy), '--shipment', shipped.shipment]);
    assert.match(await cli(['incoming', '--key', keyPath(pharmacy)]), /No shipment is waiting for you/);
    assert.match(await cli(['item', '--key', keyPath(pharmacy), '--item', packs[0]]), /\tpack\tactive\theld by cli-pharmacy/);
    const history = await cli(['history', '--key', keyPath(pharmacy), '--item', packs[0]]);
    assert.match(history, /custody\.commissioned.*signature valid/);
    assert.match(history, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\t#\d+\tcustody\.commissioned/m, 'each line starts with its time');
    assert.match(history, /custody\.received\s+by cli-pharmacy/);

    const csv = join(dir, 'fridge.csv');
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    writeFileSync(csv, ['time,celsius', ...[3, 2, 1].map((h, i) => `${new Date(hour - h * 3_600_000).toISOString()},${4 + i}`)].join('\n'));
    const pack = packs[0];
    assert.match(await cli(['readings', 'record', '--key', keyPath(pharmacy), '--subject', pack, '--csv', csv]), /"events":1/);
    const temperatures = await cli(['temperatures', '--key', keyPath(pharmacy), '--subject', pack]);
    assert.match(temperatures, /\(3 readings\)/);
    // A figure, not an identifier: an item id's serial may begin with digits (sgtin:<gtin>.354ZG…).
    assert.doesNotMatch(temperatures, /(?<![\w.:])\d+\.\d{3,}(?!\w)/, 'no figure with more decimals than a person reads');
  });

  it('prints the refusal code and exits 1 when the server refuses', async () => {
    const r = await runCli(['ship', '--key', keyPath(pharmacy), '--to', maker.participantId, '--items', 'sgtin:00000000000000.NOPE', '--server', server.url], server.environment.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /UNKNOWN_ITEM/);
    // An item or shipment the caller may not see: exit 1 with a code and a sentence, no stack trace.
    for (const args of [['item', '--item', 'sgtin:00000000000000.NOPE'], ['shipment', '--shipment', 'shipment:nope']]) {
      const missing = await runCli([...args, '--key', keyPath(pharmacy), '--server', server.url], server.environment.env);
      assert.equal(missing.code, 1, args.join(' '));
      assert.match(missing.stderr, /^NOT_FOUND: No (item|shipment) /);
      assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});
