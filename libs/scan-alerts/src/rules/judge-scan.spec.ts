import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeScan, scansAfterClose } from './judge-scan';
import { scanAt, settings, SUPPLIED_AT, supplied } from './spec-fixtures';

const device = (i: number): string => `device-${String(i).padStart(12, '0')}`;
const minutes = (m: number): Date => new Date(SUPPLIED_AT.getTime() + m * 60_000);

describe('judgeScan: a closed alert stays closed', () => {
  it('REGIONS_WITHIN_WINDOW closed as a false positive: one more scan from a region already counted raises nothing', () => {
    const earlier = [scanAt(10, 'DE-BY', device(1)), scanAt(20, 'FR', device(2))];
    assert.deepEqual(judgeScan(scanAt(21, 'FR', device(2)), earlier, supplied, settings).map((a) => a.kind), ['REGIONS_WITHIN_WINDOW'], 'without the close it would');
    const closed = { REGIONS_WITHIN_WINDOW: minutes(25) };
    assert.deepEqual(judgeScan(scanAt(30, 'FR', device(2)), earlier, supplied, settings, closed), []);
    // New evidence after the close raises it again: another phone in another country.
    const again = judgeScan(scanAt(32, 'IT', device(3)), [...earlier, scanAt(30, 'FR', device(2))], supplied, settings, closed);
    assert.deepEqual(again.map((a) => a.kind), ['REGIONS_WITHIN_WINDOW']);
    assert.deepEqual(again[0].evidence.regions, ['FR', 'IT'], 'only scans after the close are evidence');
  });

  it('TOO_MANY_DEVICES closed: a seventh scan from one of the six devices raises nothing; six new devices after the close would', () => {
    const six = [1, 2, 3, 4, 5, 6].map((i) => scanAt(i, 'DE', device(i)));
    const closed = { TOO_MANY_DEVICES: minutes(10) };
    assert.deepEqual(judgeScan(scanAt(7, 'DE', device(7)), six, supplied, settings).map((a) => a.kind), ['TOO_MANY_DEVICES']);
    assert.deepEqual(judgeScan(scanAt(11, 'DE', device(3)), six, supplied, settings, closed), []);
    const sixMore = [11, 12, 13, 14, 15].map((i) => scanAt(i, 'DE', device(i)));
    const alert = judgeScan(scanAt(16, 'DE', device(16)), [...six, ...sixMore], supplied, settings, closed);
    assert.deepEqual(alert.map((a) => [a.kind, a.evidence.devices]), [['TOO_MANY_DEVICES', 6]]);
  });

  it('a close only settles its own kind, and a scan from before the close (judged late, or again once its device was named) judges nothing of that kind', () => {
    const earlier = [scanAt(10, 'DE-BY', device(1)), scanAt(20, 'FR', device(2))];
    const closed = { TOO_MANY_DEVICES: minutes(25) };
    assert.deepEqual(judgeScan(scanAt(30, 'FR', device(2)), earlier, supplied, settings, closed).map((a) => a.kind), ['REGIONS_WITHIN_WINDOW']);
    const late = scanAt(20, 'FR', device(2));
    assert.equal(scansAfterClose('REGIONS_WITHIN_WINDOW', late, earlier, { REGIONS_WITHIN_WINDOW: minutes(25) }), null);
    assert.deepEqual(judgeScan(late, earlier, supplied, settings, { REGIONS_WITHIN_WINDOW: minutes(25) }), []);
  });
});
