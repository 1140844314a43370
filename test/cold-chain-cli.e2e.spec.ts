// `readings record --csv` end to end against a running server: a logger's CSV is read strictly — a blank
// or whitespace cell, a decimal comma, a time without a zone, an impossible date are refused with the file
// and the physical line, and nothing at all is stored — and zone-less times are read in the --timezone
// zone, daylight-saving changes included.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import { commissionPacks, PharmaTraceClient, temperatureHistory, writeKeyFile } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';

/** Day of the month of the last Sunday of `month` (1–12) in `year`: when the EU changes its clocks, at 01:00 UTC. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0));
  return last.getUTCDate() - last.getUTCDay();
}

describe('cold-chain CLI: readings record --csv', () => {
  let server: TestServer;
  let maker: PharmaTraceClient;
  let keyFile: string;
  let dir: string;
  let subject: string;
  let files = 0;

  const csv = (lines: string[]): string => {
    const path = join(dir, `readings-${++files}.csv`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const record = (path: string, extra: string[] = []) => runCli(['readings', 'record', '--server', server.url, '--key', keyFile, '--subject', subject, '--csv', path, ...extra], server.environment.env);
  const readings = async () => (await temperatureHistory(maker, subject, { first: 50 })).readings;
  /** A recent, valid reading time (whole seconds, an hour ago). */
  const recent = (minutesAgo: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - (60 + minutesAgo) * 60_000).toISOString();

  /** Runs the upload, expects exit 2 with `expected` on stderr, and that the log and the subject's readings did not change. */
  async function refusedWithNothingStored(lines: string[], expected: (path: string) => string, extra: string[] = []): Promise<string> {
    const path = csv(lines);
    const [eventsBefore, readingsBefore] = [await server.eventCount(), (await readings()).length];
    const r = await record(path, extra);
    assert.equal(r.code, 2, `expected a usage refusal, got exit ${r.code}: ${r.stdout}${r.stderr}`);
    assert.ok(r.stderr.includes(expected(path)), `stderr should include ${JSON.stringify(expected(path))}, got:\n${r.stderr}`);
    assert.match(r.stderr, /nothing was uploaded/);
    assert.equal(r.stdout, '');
    assert.equal(await server.eventCount(), eventsBefore, 'a refused file must store no event');
    assert.equal((await readings()).length, readingsBefore, 'a refused file must store no reading');
    return r.stderr;
  }

  before(async () => {
    server = await startTestServer();
    dir = server.environment.env.PHARMATRACE_DATA_DIR;
    const net = await createTestNetwork(server);
    maker = await net.join('manufacturer', 'csv-maker');
    keyFile = join(dir, 'csv-maker.json');
    writeKeyFile(keyFile, maker.key);
    const { gtin, batch } = await productAndBatch(maker, 10);
    const { serials } = await commissionPacks(maker, batch, 1);
    subject = packAssetId(gtin, serials[0]);
  });
  after(async () => server?.close());

  it('refuses a blank temperature cell, naming file and line, and stores nothing', async () => {
    await refusedWithNothingStored([`${recent(3)},5`, `${recent(2)},`], (p) => `${p} line 2: the temperature cell is empty; write a number in °C with a dot as decimal separator, e.g. 7.9`);
  });

  it('refuses a temperature cell of only whitespace (once stored as 0 °C) and stores nothing', async () => {
    await refusedWithNothingStored([`${recent(3)},5`, `${recent(2)},   `], (p) => `${p} line 2: the temperature cell is empty`);
  });

  it('refuses a decimal comma, 7,9 (once stored as 7 °C), and stores nothing', async () => {
    await refusedWithNothingStored([`${recent(2)},7,9`], (p) => `${p} line 1: 3 cells where 2 are expected (time,celsius); "7,9" looks like a temperature with a decimal comma: write it with a dot, 7.9`);
  });

  it('refuses a time without a zone when no --timezone is given, and stores nothing', async () => {
    const local = recent(2).slice(0, 19).replace('T', ' ');
    await refusedWithNothingStored([`${recent(3)},5`, `${local},5`], (p) => `${p} line 2: "${local}" has no time zone, so the instant is unknown`);
  });

  it('refuses month 13 and stores nothing', async () => {
    await refusedWithNothingStored(['2026-13-01T10:00:00Z,5'], (p) => `${p} line 1: "2026-13-01T10:00:00Z" is not a real time: there is no month 13`);
  });

  it('reports a bad line by its physical number: line 4 after a comment, the header and a blank line', async () => {
    const stderr = await refusedWithNothingStored(['# logger 17, fridge 3', 'time,celsius', '', `${recent(2)},NaN`], (p) => `${p} line 4: the temperature "NaN" is not a plain decimal number`);
    assert.doesNotMatch(stderr, /line [1-3]:/);
  });

  it('refuses an unknown --timezone before reading anything', async () => {
    const path = csv([`${recent(2)},5`]);
    const before = await server.eventCount();
    const r = await record(path, ['--timezone', 'Europe/Atlantis']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--timezone "Europe\/Atlantis" is not an IANA time zone/);
    assert.equal(await server.eventCount(), before);
  });

  it('reads zone-less times in the --timezone zone: the stored instants are the right UTC instants across both DST changes', async () => {
    // Last year's changes are always in the past, and within a year of each other (one event holds a year).
    const year = new Date().getUTCFullYear() - 1;
    const [march, october] = [lastSunday(year, 3), lastSunday(year, 10)];
    const d = (month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const path = csv([
      'time,celsius',
      `${d(3, march)} 01:30:00,4.5`, // CET, UTC+1
      `${d(3, march)} 03:30:00,4.6`, // CEST, UTC+2: one hour later in real time
      `${d(7, 1)}T12:00:00,4.7`, // CEST
      `${d(10, october)} 01:30:00,4.8`, // CEST
      `${d(10, october)} 03:30:00,4.9`, // CET again: three hours later in real time
      `${d(10, october)} 05:00:00Z,5`, // an explicit zone wins over --timezone
    ]);
    const r = await record(path, ['--timezone', 'Europe/Berlin']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"events":1/);
    const stored = (await readings()).map((x) => [new Date(x.takenAt).toISOString(), x.celsius]);
    const utc = (month: number, day: number, hour: number, minute = 0) => new Date(Date.UTC(year, month - 1, day, hour, minute)).toISOString();
    assert.deepEqual(stored, [
      [utc(3, march, 0, 30), 4.5],
      [utc(3, march, 1, 30), 4.6],
      [utc(7, 1, 10), 4.7],
      [utc(10, october - 1, 23, 30), 4.8],
      [utc(10, october, 2, 30), 4.9],
      [utc(10, october, 5), 5],
    ]);
  });

  it('refuses a wall time the clocks skipped under --timezone, and stores nothing more', async () => {
    const year = new Date().getUTCFullYear() - 1;
    const time = `${year}-03-${lastSunday(year, 3)} 02:30:00`;
    await refusedWithNothingStored([`${time},5`], (p) => `${p} line 1: "${time}" never happened in Europe/Berlin`, ['--timezone', 'Europe/Berlin']);
  });
});
