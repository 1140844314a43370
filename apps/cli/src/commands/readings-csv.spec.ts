import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../args';
import { instantsOfWallTime, parseReadingsCsv, resolveTimeZone } from './readings-csv';

const FILE = 'readings.csv';
const read = (text: string, timeZone?: string) => parseReadingsCsv(text, { file: FILE, timeZone });
const rows = (text: string, timeZone?: string) => read(text, timeZone).map((r) => [r.at.toISOString(), r.celsius, r.line]);

/** The UsageError's message; fails when the file is accepted or something else is thrown. */
function refusal(text: string, timeZone?: string): string {
  try {
    read(text, timeZone);
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${String(e)}`);
    return e.message;
  }
  return assert.fail(`expected ${JSON.stringify(text)} to be refused`);
}

const GOOD = '2026-11-29T15:00:00Z,7.9';

describe('readings CSV', () => {
  it('reads a well-formed export: header, comments, blank lines, CRLF, offsets, each reading with its physical line', () => {
    const text = '# fridge 3\r\ntime,celsius\r\n\r\n2026-11-29T15:00:00Z,7.9\r\n  # door opened\r\n2026-11-29T17:00:00+01:00,-0.5\r\n2026-11-29 16:30:00.000z , 12 \r\n   \r\n"2026-11-29T16:45:00-00:00","+4.25"';
    assert.deepEqual(rows(text), [
      ['2026-11-29T15:00:00.000Z', 7.9, 4],
      ['2026-11-29T16:00:00.000Z', -0.5, 6],
      ['2026-11-29T16:30:00.000Z', 12, 7],
      ['2026-11-29T16:45:00.000Z', 4.25, 9],
    ]);
    assert.deepEqual(rows('2026-11-29T15:00Z,4\n2026-11-29T15:01:00Z,4\n'), [
      ['2026-11-29T15:00:00.000Z', 4, 1],
      ['2026-11-29T15:01:00.000Z', 4, 2],
    ]);
    assert.deepEqual(rows('2026-11-29T20:31:00+05:30,3\n2026-11-29T12:02:00-03:00,3\n'), [
      ['2026-11-29T15:01:00.000Z', 3, 1],
      ['2026-11-29T15:02:00.000Z', 3, 2],
    ]);
  });

  it('refuses an empty temperature cell', () => {
    assert.equal(refusal('2026-11-29T15:00:00Z,\n'), `${FILE} line 1: the temperature cell is empty; write a number in °C with a dot as decimal separator, e.g. 7.9\n${FILE}: 1 bad line; nothing was uploaded`);
  });

  it('refuses a temperature cell of only whitespace', () => {
    assert.match(refusal(`${GOOD}\n2026-11-29T16:00:00Z,   \t\n`), /^readings\.csv line 2: the temperature cell is empty; write a number in °C with a dot/);
  });

  it('refuses a decimal comma (it arrives as a third cell) and names the fix', () => {
    const message = refusal(`${GOOD}\n2026-11-29T16:00:00Z,7,9\n`);
    assert.match(message, /^readings\.csv line 2: 3 cells where 2 are expected \(time,celsius\); "7,9" looks like a temperature with a decimal comma: write it with a dot, 7\.9/);
    assert.match(refusal('2026-11-29T16:00:00Z,"7,9"'), /line 1: the temperature "7,9" is not a plain decimal number \(a decimal comma\)/);
  });

  for (const cell of ['NaN', 'Infinity', '-Infinity', '1e400', '1e1', '0x10', '.5', '5.', '7.9.1', '7 9', '+-3', 'seven', '٣']) {
    it(`refuses the temperature ${JSON.stringify(cell)}`, () => {
      assert.match(refusal(`2026-11-29T16:00:00Z,${cell}`), new RegExp(`^readings\\.csv line 1: the temperature ".*" is not a plain decimal number.*; write a number in °C with a dot`));
    });
  }

  it('refuses temperatures outside the plausible range', () => {
    assert.match(refusal('2026-11-29T16:00:00Z,100.5'), /line 1: the temperature 100\.5 °C is outside -100 to 100 °C/);
    assert.match(refusal('2026-11-29T16:00:00Z,-273.15'), /line 1: the temperature -273\.15 °C is outside/);
  });

  it('refuses a time without a zone when no --timezone is given', () => {
    assert.match(refusal(`${GOOD}\n2026-11-29 16:00:00,7.9`), /^readings\.csv line 2: "2026-11-29 16:00:00" has no time zone, so the instant is unknown; add Z or the offset .* or give --timezone ZONE/);
  });

  it('reads zone-less times in the --timezone zone, across both daylight-saving changes', () => {
    const text = [
      '2026-01-15 12:00:00,5', // CET, +01:00
      '2026-03-29 01:59:59,5', // last second of CET
      '2026-03-29 03:00:00,5', // first second of CEST: one second later
      '2026-07-01T12:00,5', // CEST, +02:00
      '2026-10-25 01:59:59,5', // CEST
      '2026-10-25 03:00:00,5', // CET again: one hour and one second later
    ].join('\n');
    assert.deepEqual(
      read(text, 'Europe/Berlin').map((r) => r.at.toISOString()),
      ['2026-01-15T11:00:00.000Z', '2026-03-29T00:59:59.000Z', '2026-03-29T01:00:00.000Z', '2026-07-01T10:00:00.000Z', '2026-10-24T23:59:59.000Z', '2026-10-25T02:00:00.000Z'],
    );
    assert.deepEqual(
      read('2026-03-08 01:30:00,5\n2026-03-08 03:30:00,5\n2026-11-01 00:30:00,5', 'America/New_York').map((r) => r.at.toISOString()),
      ['2026-03-08T06:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-11-01T04:30:00.000Z'],
    );
    // An explicit zone wins over --timezone.
    assert.deepEqual(rows('2026-07-01T12:00:00Z,5', 'Europe/Berlin'), [['2026-07-01T12:00:00.000Z', 5, 1]]);
  });

  it('refuses a wall time the zone skipped or repeated, naming both offsets of a repeated one', () => {
    assert.match(refusal('2026-03-29 02:30:00,5', 'Europe/Berlin'), /line 1: "2026-03-29 02:30:00" never happened in Europe\/Berlin: the clocks jumped forward/);
    assert.match(
      refusal('2026-10-25 02:30:00,5', 'Europe/Berlin'),
      /line 1: "2026-10-25 02:30:00" happened twice in Europe\/Berlin \(the clocks went back\); write which one with its UTC offset: 2026-10-25T02:30:00\+02:00 or 2026-10-25T02:30:00\+01:00/,
    );
    assert.deepEqual(instantsOfWallTime('Europe/Berlin', Date.UTC(2026, 9, 25, 2, 30)), [Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 25, 1, 30)]);
  });

  it('refuses impossible dates and times', () => {
    const cases: Array<[string, RegExp]> = [
      ['2026-13-01T00:00:00Z', /is not a real time: there is no month 13/],
      ['2026-00-10T00:00:00Z', /there is no month 00/],
      ['2026-02-30T00:00:00Z', /February 2026 has days 01 to 28, not 30/],
      ['2026-02-29T00:00:00Z', /February 2026 has days 01 to 28, not 29/],
      ['2026-04-31T00:00:00Z', /April 2026 has days 01 to 30, not 31/],
      ['0000-01-01T00:00:00Z', /there is no year 0000/],
      ['202026-01-01T00:00:00Z', /is not an ISO 8601 date-time \(the year must have exactly four digits\)/],
      ['+002026-01-01T00:00:00Z', /the year must have exactly four digits/],
      ['2026-01-01T24:00:00Z', /hours run 00 to 23, not 24/],
      ['2026-01-01T12:60:00Z', /minutes run 00 to 59, not 60/],
      ['2026-12-31T23:59:60Z', /a leap second cannot be recorded/],
      ['2026-01-01T12:00:00+24:00', /has no valid UTC offset/],
      ['2026-01-01T12:00:00.5Z', /has a fraction of a second; readings are recorded in whole seconds/],
      ['2026-01-01', /is not an ISO 8601 date-time/],
      ['29.11.2026 16:00', /is not an ISO 8601 date-time/],
      ['1764432000', /is not an ISO 8601 date-time/],
      ['2026-11-29T16:00:00+0100', /is not an ISO 8601 date-time/],
      ['2026-11-29T16:00:00 CET', /is not an ISO 8601 date-time/],
    ];
    for (const [time, expected] of cases) assert.match(refusal(`${time},5`), expected, time);
    assert.equal(read('2028-02-29T00:00:00Z,5')[0].at.toISOString(), '2028-02-29T00:00:00.000Z');
  });

  it('reports a bad line by its physical number, counting comments, the header and blank lines', () => {
    const text = '# logger 17, fridge 3\ntime,celsius\n\n2026-11-29T16:00:00Z,\n';
    assert.match(refusal(text), /^readings\.csv line 4: the temperature cell is empty/);
    assert.match(refusal('"a\nb",1\n2026-11-29T16:00:00Z,x\n'), /line 1: a quoted cell runs over lines 1 to 2[\s\S]*line 3: the temperature "x"/);
  });

  it('reports every bad line at once, in file order, then a count', () => {
    const text = ['time,celsius', GOOD, '2026-11-29T16:00:00Z,', '2026-11-29T17:00:00,4', '2026-11-29T18:00:00Z;4', 'x"y,4', '2026-11-29T19:00:00Z,4', '2026-11-29T18:30:00Z,4'].join('\n');
    const lines = refusal(text).split('\n');
    assert.deepEqual(
      lines.map((l) => l.replace(/:.*/, '')),
      ['readings.csv line 3', 'readings.csv line 4', 'readings.csv line 5', 'readings.csv line 6', 'readings.csv line 8', 'readings.csv'],
    );
    assert.match(lines[2], /separate them with a comma/);
    assert.match(lines[3], /a " stands inside a cell/);
    assert.match(lines[4], /not after the reading on line 7 .* readings must be in time order/);
    assert.equal(lines[5], 'readings.csv: 5 bad lines; nothing was uploaded');

    const many = Array.from({ length: 30 }, (_, i) => `2026-11-29T16:${String(i).padStart(2, '0')}:00Z,`).join('\n');
    const manyLines = refusal(many).split('\n');
    assert.equal(manyLines.length, 22);
    assert.equal(manyLines[20], '… and 10 more problems');
    assert.equal(manyLines[21], 'readings.csv: 30 bad lines; nothing was uploaded');
  });

  it('refuses a header of the wrong shape, an empty file and too many readings', () => {
    assert.match(refusal('time\n2026-11-29T16:00:00Z,4'), /line 1: the header has 1 cell; it must name the two columns/);
    assert.match(refusal('# nothing yet\n\ntime,celsius\n'), /readings\.csv holds no readings/);
    assert.throws(() => parseReadingsCsv(`${GOOD}\n2026-11-29T15:00:01Z,7.9`, { file: FILE, maxReadings: 1 }), /holds 2 readings; one upload takes at most 1/);
  });

  it('checks --timezone against the IANA database', () => {
    assert.equal(resolveTimeZone('Europe/Berlin'), 'Europe/Berlin');
    assert.equal(resolveTimeZone('UTC'), 'UTC');
    for (const bad of ['Mars/Olympus_Mons', '+01:00', 'GMT+1 ', '', 'Europe/Berlin/..']) {
      assert.throws(() => resolveTimeZone(bad), (e: unknown) => e instanceof UsageError && /is not an IANA time zone/.test(e.message), bad);
    }
  });
});
