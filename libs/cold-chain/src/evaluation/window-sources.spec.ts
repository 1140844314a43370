// Custody windows merged per subject: a reading must match at most one window of its subject, with every
// party that any overlapping window admits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSources, ReadingSource } from './window-sources';

const t = (hh: number): string => new Date(Date.UTC(2026, 0, 1, hh)).toISOString();
const src = (subject: string, since: number | null, until: number | null, ...parties: string[]): ReadingSource => ({
  subject,
  since: since === null ? null : t(since),
  until: until === null ? null : t(until),
  parties,
});

describe('custody windows', () => {
  it('consecutive custody periods of one subject stay apart, one party each', () => {
    assert.deepEqual(normalizeSources([src('sscc:1', 10, 12, 'maker'), src('sscc:1', 12, null, 'wholesaler')]), [
      src('sscc:1', 10, 12, 'maker'),
      src('sscc:1', 12, null, 'wholesaler'),
    ]);
  });

  it('overlapping windows are split where they overlap, and admit both parties only there', () => {
    assert.deepEqual(normalizeSources([src('shipment:a', 10, 14, 'maker'), src('shipment:a', 12, 16, 'wholesaler')]), [
      src('shipment:a', 10, 12, 'maker'),
      src('shipment:a', 12, 14, 'maker', 'wholesaler'),
      src('shipment:a', 14, 16, 'wholesaler'),
    ]);
  });

  it('touching windows of the same parties merge into one; a gap keeps them apart', () => {
    assert.deepEqual(normalizeSources([src('sscc:1', 10, 12, 'maker'), src('sscc:1', 12, 13, 'maker'), src('sscc:1', 15, 16, 'maker')]), [
      src('sscc:1', 10, 13, 'maker'),
      src('sscc:1', 15, 16, 'maker'),
    ]);
  });

  it('empty windows (custody that began and ended at one instant) admit nothing', () => {
    assert.deepEqual(normalizeSources([src('sscc:1', 10, 10, 'maker'), src('sscc:1', 10, null, 'wholesaler')]), [src('sscc:1', 10, null, 'wholesaler')]);
    assert.deepEqual(normalizeSources([src('sscc:1', 12, 11, 'maker')]), []);
  });

  it('open bounds stay open; subjects never mix', () => {
    assert.deepEqual(normalizeSources([src('sscc:2', null, null, 'b'), src('sscc:1', 10, null, 'a'), src('sscc:2', 11, 12, 'a')]), [
      src('sscc:1', 10, null, 'a'),
      src('sscc:2', null, 11, 'b'),
      src('sscc:2', 11, 12, 'a', 'b'),
      src('sscc:2', 12, null, 'b'),
    ]);
  });
});
