// The pharmacy's dispensing CLI end to end against a running server: a prescriber issues a prescription
// through the SDK; the pharmacy verifies a pack, dispenses it, sees it reported supplied, is refused a
// second dispense, undoes the first, and locks a pack — all with `npm run cli`, as a script would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { commissionPacks, issuePrescription, item, patientPseudonym, PharmaTraceClient, prescription, receive, ship, writeKeyFile } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';
import { parseScansFile } from '../apps/cli/src/commands/dispensing.command';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const GS = '\x1d';

describe('dispensing CLI', () => {
  let server: TestServer;
  let maker: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let dr: PharmaTraceClient;
  let dir: string;
  let gtin: string;
  let lot: string;
  let expiry: string;
  let packs: Array<{ id: string; serial: string; scan: string }>;
  const patient = patientPseudonym(randomBytes(32), 'CLI-123456-X');
  const keyPath = (c: PharmaTraceClient) => join(dir, `${c.participantId}.json`);
  const cli = (args: string[]) => runCli([...args, '--server', server.url], server.environment.env);
  const ok = async (args: string[]) => {
    const r = await cli(args);
    assert.equal(r.code, 0, `${args[0]}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  before(async () => {
    server = await startTestServer();
    dir = server.environment.env.PHARMATRACE_DATA_DIR;
    const net = await createTestNetwork(server);
    [maker, pharmacy, dr] = await Promise.all([net.join('manufacturer', 'dcli-maker'), net.join('pharmacy', 'dcli-pharmacy'), net.join('prescriber', 'dcli-dr')]);
    writeKeyFile(keyPath(pharmacy), pharmacy.key);
    const made = await productAndBatch(maker, 100);
    gtin = made.gtin;
    lot = made.batch.split('/')[1];
    expiry = '2028-01-31';
    const { serials } = await commissionPacks(maker, made.batch, 4);
    // What the counter's scanner reads: (01) GTIN, (10) lot, GS, (21) serial, GS-free last field (17) expiry.
    packs = serials.map((serial) => ({ id: packAssetId(gtin, serial), serial, scan: `01${gtin}17280131${'10'}${lot}${GS}21${serial}` }));
    const { shipment } = await ship(maker, pharmacy.participantId, packs.map((p) => p.id));
    await receive(pharmacy, shipment);
  });
  after(async () => server?.close());

  it('verifies, dispenses, reports supplied, refuses a second dispense, and undoes it', async () => {
    const { id } = await issuePrescription(dr, { patient, product: { gtin }, quantity: 2, refills: 0, validFrom: day(0), validUntil: day(30), controlledClass: 'none' });
    const [p] = packs;
    const fit = await ok(['verify-pack', '--key', keyPath(pharmacy), '--scan', `]d2${p.scan}`]);
    assert.match(fit, /^FIT TO DISPENSE: .*serial /);

    // One scan a line, as a scanner writes it (CRLF, the group separator kept).
    const scansFile = join(dir, 'scans.txt');
    writeFileSync(scansFile, `${p.scan}\r\n`);
    const dispensed = await ok(['dispense', '--key', keyPath(pharmacy), '--prescription', id, '--patient', patient, '--scans-file', scansFile, '--json']);
    const receipt = JSON.parse(dispensed) as { hash: string; result: { supplied: number; remaining: number } };
    assert.deepEqual([receipt.result.supplied, receipt.result.remaining], [1, 1]);
    assert.equal((await item(pharmacy, p.id))?.state, 'supplied');

    const supplied = await cli(['verify-pack', '--key', keyPath(pharmacy), '--gtin', gtin, '--serial', p.serial, '--lot', lot, '--expiry', expiry]);
    assert.equal(supplied.code, 1, supplied.stderr);
    assert.match(supplied.stdout, /^NOT FIT TO DISPENSE/);
    assert.match(supplied.stdout, /ALREADY_SUPPLIED \(EMVS A24/);
    assert.match(supplied.stderr, /NOT_FIT_TO_DISPENSE: ALREADY_SUPPLIED/);

    const again = await cli(['dispense', '--key', keyPath(pharmacy), '--prescription', id, '--patient', patient, '--scan', p.scan]);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, /ALREADY_SUPPLIED/);

    const undone = await ok(['undo-dispense', '--key', keyPath(pharmacy), '--event', receipt.hash, '--items', p.id]);
    assert.match(undone, /active again/);
    assert.equal((await item(pharmacy, p.id))?.state, 'active');
    assert.equal((await prescription(dr, id))?.remaining, 2, 'the prescription has its pack back');
    assert.match(await ok(['verify-pack', '--key', keyPath(pharmacy), '--scan', p.scan]), /^FIT TO DISPENSE/);

    // Two packs in one go, each --scan once.
    const both = await ok(['dispense', '--key', keyPath(pharmacy), '--prescription', id, '--patient', patient, '--scan', packs[0].scan, '--scan', packs[1].scan]);
    assert.match(both, /Dispensed 2 pack\(s\) against prescription .*; 0 remaining/);
  });

  it('locks a pack and unlocks it', async () => {
    const p = packs[2];
    const locked = JSON.parse(await ok(['decommission', '--key', keyPath(pharmacy), '--kind', 'locked', '--items', p.id, '--reason', 'Suspected falsified: awaiting the MAH', '--json'])) as {
      hash: string;
    };
    assert.equal((await item(pharmacy, p.id))?.state, 'locked');
    const verdict = await cli(['verify-pack', '--key', keyPath(pharmacy), '--scan', p.scan, '--json']);
    assert.equal(verdict.code, 1);
    assert.deepEqual((JSON.parse(verdict.stdout) as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code), ['LOCKED']);
    await ok(['undo-decommission', '--key', keyPath(pharmacy), '--event', locked.hash, '--items', p.id]);
    assert.equal((await item(pharmacy, p.id))?.state, 'active');
  });

  it('exits 2 on bad usage, before anything is sent', async () => {
    const key = keyPath(pharmacy);
    const cases = [
      ['verify-pack', '--key', key],
      ['verify-pack', '--key', key, '--scan', packs[3].scan, '--gtin', gtin, '--serial', packs[3].serial],
      ['verify-pack', '--key', key, '--gtin', gtin, '--serial', packs[3].serial, '--expiry', '31.01.2028'],
      ['dispense', '--key', key, '--prescription', 'x', '--patient', 'Jane Doe', '--scan', packs[3].scan],
      ['dispense', '--key', key, '--prescription', 'x', '--patient', patient],
      ['dispense', '--key', key, '--prescription', 'x', '--patient', patient, '--scans-file', join(dir, 'missing.txt')],
      ['decommission', '--key', key, '--kind', 'lost', '--items', packs[3].id, '--reason', 'r'],
      ['decommission', '--key', key, '--kind', 'locked', '--reason', 'r'],
      ['undo-dispense', '--key', key, '--event', 'not-a-hash', '--items', packs[3].id],
      ['dispense', '--key', key, '--bogus', 'x'],
    ];
    // Each is its own process: run them side by side.
    const results = await Promise.all(cases.map((args) => cli(args)));
    cases.forEach((args, i) => {
      assert.equal(results[i].code, 2, `${args.join(' ')}: ${results[i].stderr}`);
      assert.match(results[i].stderr, /usage: pharmatrace/);
    });
    assert.equal((await item(pharmacy, packs[3].id))?.state, 'active');
  });

  it('reads a scans file raw: split on line feeds only, a trailing CR removed, the group separator kept', () => {
    assert.deepEqual(parseScansFile(`0104150000000019${'10'}A 1${GS}21S1\r\n\n]d2010415000000001921S2\n`, 'f'), [`0104150000000019${'10'}A 1${GS}21S1`, ']d2010415000000001921S2']);
    assert.throws(() => parseScansFile('\r\n\n', 'f'), /holds no scans/);
  });
});
