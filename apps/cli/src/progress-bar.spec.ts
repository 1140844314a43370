import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noteAtomicCall, progressBar } from './progress-bar';

describe('CLI progress on stderr', () => {
  let written: string[];
  let restore: () => void;
  beforeEach(() => {
    written = [];
    const write = process.stderr.write.bind(process.stderr);
    const tty = process.stderr.isTTY;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    restore = () => {
      process.stderr.write = write;
      process.stderr.isTTY = tty;
    };
  });
  afterEach(() => restore());

  it('draws nothing when stderr is not a terminal (a script sees only the summary line)', () => {
    process.stderr.isTTY = false;
    const bar = progressBar('audit', 'events');
    bar.update(3, 10);
    bar.increment(2);
    bar.stop();
    noteAtomicCall('commission: submitting 10 packs');
    assert.deepEqual(written, []);
  });

  it('draws label, done/total with the unit and the percentage when asked on a non-terminal', () => {
    process.stderr.isTTY = false;
    const bar = progressBar('tracing', 'packs', { force: true });
    bar.update(3, 10);
    bar.increment(2);
    bar.stop();
    const text = written.join('');
    assert.match(text, /tracing \[[=-]+\] 5\/10 packs \| 50% \| /);
  });

  it('grows the total when more is done than first announced (a ledger appended during an export)', () => {
    process.stderr.isTTY = false;
    const bar = progressBar('export', 'events', { force: true });
    bar.update(5, 4);
    bar.stop();
    assert.match(written.join(''), /export \[[=-]+\] 5\/5 events \| 100%/);
  });

  it('notes an atomic call on a terminal only', () => {
    process.stderr.isTTY = true;
    noteAtomicCall('readings: submitting 12 readings of log.csv in one atomic call…');
    assert.deepEqual(written, ['readings: submitting 12 readings of log.csv in one atomic call…\n']);
  });
});
