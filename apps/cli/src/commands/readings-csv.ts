// A temperature logger's CSV export, read strictly. Each data line is exactly `time,celsius`:
//  - time: an ISO 8601 date-time, YYYY-MM-DDTHH:MM[:SS[.000]] (T or a space), with its zone (Z or ±hh:mm);
//    without a zone only when the operator names the logger's IANA zone (--timezone Europe/Berlin), and
//    then a wall time that the zone skipped or repeated (daylight saving changes) is refused as well;
//  - celsius: a plain decimal number with a dot (7.9, -18, 4.25), within the plausible range.
// An optional header line and `#` comment lines are allowed. Nothing is guessed: a bad line is refused with
// the file, its physical line number and what to write instead, and every bad line is reported at once.
import { MAX_READING_C, MIN_READING_C } from '@pharmatrace/cold-chain/cold-chain-events';
import { UsageError } from '../args';
import { csvRecords } from '../csv-records';

export interface CsvReading {
  at: Date;
  celsius: number;
  /** Physical line of the file the reading is on. */
  line: number;
}

export interface ReadingsCsvOptions {
  /** How the file is named in messages (the path the operator gave). */
  file: string;
  /** IANA zone in which times without a zone are read; without it such times are refused. */
  timeZone?: string;
  /** Most readings one upload takes. */
  maxReadings?: number;
}

/** At most this many bad lines are listed; the count of the rest follows. */
const MAX_REPORTED = 20;
const EXAMPLE_TIME = '2026-11-29T16:00:00Z or 2026-11-29T17:00:00+01:00';
const TEMPERATURE_HINT = 'write a number in °C with a dot as decimal separator, e.g. 7.9';

// ----- time zones --------------------------------------------------------------------------------------

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** Checks an IANA zone name (Europe/Berlin, America/New_York, UTC) with the runtime's time zone database; returns its canonical spelling. */
export function resolveTimeZone(name: string): string {
  const refuse = (): never => {
    throw new UsageError(`--timezone "${name}" is not an IANA time zone; give the logger's zone by name, e.g. Europe/Berlin, America/New_York or UTC`);
  };
  if (!IANA_NAME.test(name)) refuse();
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return refuse();
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in `zone` at instant `ms` (whole seconds), as if those fields were UTC. */
function wallClock(zone: string, ms: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  const year = /^B/i.test(parts.era ?? '') ? 1 - Number(parts.year) : Number(parts.year);
  return utcMillis(year, Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

const DAY_MS = 86_400_000;

/**
 * Every instant at which the wall clock in `zone` reads `wall` (given as if it were UTC): one normally,
 * none in a gap (clocks jumped forward), two in an overlap (clocks went back). The zone's offsets around
 * the time are sampled, each candidate is kept only when the zone's clock really shows `wall` at it.
 */
export function instantsOfWallTime(zone: string, wall: number): number[] {
  const offsets = new Set([wall - DAY_MS, wall, wall + DAY_MS].map((t) => wallClock(zone, t) - t));
  const hits = new Set<number>();
  for (const offset of offsets) {
    const t = wall - offset;
    if (wallClock(zone, t) === wall) hits.add(t);
  }
  return [...hits].sort((a, b) => a - b);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

function formatOffset(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

// ----- one cell at a time -------------------------------------------------------------------------------

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function daysInMonth(year: number, month: number): number {
  return new Date(utcMillis(year, month + 1, 1, 0, 0, 0) - DAY_MS).getUTCDate();
}

/** The instant of a time cell, or the reason it is refused (with what to write instead). */
export function parseTimeCell(text: string, timeZone: string | undefined): { ms: number } | { problem: string } {
  if (text === '') return { problem: `the time cell is empty; write when the reading was taken, e.g. ${EXAMPLE_TIME}` };
  const m = ISO_DATE_TIME.exec(text);
  if (!m) {
    const hint = /^[+-]?\d{5,}-/.test(text) || /^[+-]\d/.test(text) ? ' (the year must have exactly four digits)' : '';
    return { problem: `"${text}" is not an ISO 8601 date-time${hint}; write it as YYYY-MM-DDTHH:MM:SS with its zone, e.g. ${EXAMPLE_TIME}` };
  }
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const impossible = (what: string) => ({ problem: `"${text}" is not a real time: ${what}; check the logger's export` });
  if (year === 0) return impossible('there is no year 0000');
  if (month < 1 || month > 12) return impossible(`there is no month ${m[2]}`);
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return impossible(`${MONTHS[month - 1]} ${m[1]} has days 01 to ${days}, not ${m[3]}`);
  if (hour > 23) return impossible(`hours run 00 to 23, not ${m[4]}`);
  if (minute > 59) return impossible(`minutes run 00 to 59, not ${m[5]}`);
  if (second > 59) return impossible(`seconds run 00 to 59, not ${m[6]} (a leap second cannot be recorded)`);
  if (m[7] !== undefined && /[1-9]/.test(m[7])) {
    return { problem: `"${text}" has a fraction of a second; readings are recorded in whole seconds, so write the time without it (rounding is not done for you)` };
  }
  const wall = utcMillis(year, month, day, hour, minute, second);
  if (m[8] !== undefined) return { ms: wall };
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return { problem: `"${text}" has no valid UTC offset (${m[9]}${m[10]}:${m[11]}); write one from -23:59 to +23:59, e.g. +01:00` };
    return { ms: wall - (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000 };
  }
  if (timeZone === undefined) {
    return {
      problem: `"${text}" has no time zone, so the instant is unknown; add Z or the offset (e.g. ${text}+01:00), or give --timezone ZONE (the logger's IANA zone, e.g. Europe/Berlin) to read zone-less times in that zone`,
    };
  }
  const instants = instantsOfWallTime(timeZone, wall);
  if (instants.length === 1) return { ms: instants[0] };
  if (instants.length === 0) {
    return { problem: `"${text}" never happened in ${timeZone}: the clocks jumped forward over it; check the logger's clock, or write the time with its UTC offset` };
  }
  const choices = instants.map((t) => `${text.replace(/[ t]/, 'T')}${formatOffset((wall - t) / 60_000)}`).join(' or ');
  return { problem: `"${text}" happened twice in ${timeZone} (the clocks went back); write which one with its UTC offset: ${choices}` };
}

const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** Degrees Celsius of a temperature cell, or the reason it is refused. */
export function parseCelsiusCell(text: string): { celsius: number } | { problem: string } {
  if (text === '') return { problem: `the temperature cell is empty; ${TEMPERATURE_HINT}` };
  if (!PLAIN_DECIMAL.test(text)) {
    const comma = /^[+-]?\d+,\d+$/.test(text) ? ' (a decimal comma)' : '';
    return { problem: `the temperature "${text}" is not a plain decimal number${comma}; ${TEMPERATURE_HINT}` };
  }
  const celsius = Number(text);
  if (celsius < MIN_READING_C || celsius > MAX_READING_C) {
    return { problem: `the temperature ${text} °C is outside ${MIN_READING_C} to ${MAX_READING_C} °C, which no medicine's surroundings reach; check the logger's export` };
  }
  return { celsius: celsius === 0 ? 0 : celsius };
}

// ----- the file --------------------------------------------------------------------------------------------

/** A first line whose cells are all words without digits is the header (e.g. `time,celsius`). */
const isHeader = (cells: string[]) => cells.every((c) => /\p{L}/u.test(c) && !/\d/.test(c));

/**
 * Reads a readings CSV. Throws one UsageError listing the bad lines (`FILE line N: …`) when any line is
 * bad, so nothing is uploaded from a file with a mistake in it.
 */
export function parseReadingsCsv(text: string, options: ReadingsCsvOptions): CsvReading[] {
  const { file, timeZone } = options;
  const { records, problems } = csvRecords(text, { comments: true, skipBlankLines: true, relaxQuotes: false });
  const bad: Array<{ line: number; message: string }> = [...problems];
  const readings: CsvReading[] = [];
  records.forEach((r, i) => {
    const { cells, line } = r;
    if (r.lastLine !== r.line) {
      bad.push({ line, message: `a quoted cell runs over lines ${r.line} to ${r.lastLine}; write each reading on one line` });
      return;
    }
    if (i === 0 && isHeader(cells)) {
      if (cells.length !== 2) bad.push({ line, message: `the header has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'}; it must name the two columns, e.g. time,celsius` });
      return;
    }
    if (cells.length !== 2) {
      let hint = 'write each reading as time,celsius, e.g. 2026-11-29T16:00:00Z,7.9';
      if (cells.length === 3 && /^[+-]?\d+$/.test(cells[1]) && /^\d+$/.test(cells[2])) {
        hint = `"${cells[1]},${cells[2]}" looks like a temperature with a decimal comma: write it with a dot, ${cells[1]}.${cells[2]}`;
      } else if (cells.length === 1 && /[;\t]/.test(cells[0])) {
        hint = 'the cells seem separated by ";" or a tab: separate them with a comma, and write decimals with a dot';
      }
      bad.push({ line, message: `${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} where 2 are expected (time,celsius); ${hint}` });
      return;
    }
    const time = parseTimeCell(cells[0], timeZone);
    const temperature = parseCelsiusCell(cells[1]);
    if ('problem' in time) bad.push({ line, message: time.problem });
    if ('problem' in temperature) bad.push({ line, message: temperature.problem });
    if ('ms' in time && 'celsius' in temperature) readings.push({ at: new Date(time.ms), celsius: temperature.celsius, line });
  });
  for (let i = 1; i < readings.length; i++) {
    const [before, reading] = [readings[i - 1], readings[i]];
    if (reading.at.getTime() <= before.at.getTime()) {
      bad.push({
        line: reading.line,
        message: `taken at ${reading.at.toISOString()}, not after the reading on line ${before.line} (${before.at.toISOString()}); readings must be in time order, at most one a second`,
      });
    }
  }
  if (bad.length > 0) {
    bad.sort((a, b) => a.line - b.line);
    const shown = bad.slice(0, MAX_REPORTED).map((b) => `${file} line ${b.line}: ${b.message}`);
    const lines = new Set(bad.map((b) => b.line)).size;
    const more = bad.length > MAX_REPORTED ? [`… and ${bad.length - MAX_REPORTED} more problems`] : [];
    throw new UsageError([...shown, ...more, `${file}: ${lines} bad ${lines === 1 ? 'line' : 'lines'}; nothing was uploaded`].join('\n'));
  }
  if (readings.length === 0) throw new UsageError(`${file} holds no readings; write one per line as time,celsius, e.g. 2026-11-29T16:00:00Z,7.9`);
  if (options.maxReadings !== undefined && readings.length > options.maxReadings) {
    throw new UsageError(`${file} holds ${readings.length} readings; one upload takes at most ${options.maxReadings}: split the file and upload the parts in time order`);
  }
  return readings;
}
