import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keepOtherSerials, MAX_EVIDENCE_SERIALS, unknownSerial, withOtherSerial } from './unknown-serial.rule';
import { scanAt, supplied } from './spec-fixtures';

describe('UNKNOWN_SERIAL', () => {
  it('a serial never commissioned under a registered GTIN: a falsified code (not a clone), for its manufacturer', () => {
    const alert = unknownSerial(scanAt(2, 'DE-BY'), [scanAt(1, 'AT')], { kind: 'unknown_serial', manufacturerId: 'maker' });
    assert.equal(alert?.kind, 'UNKNOWN_SERIAL');
    assert.equal(alert?.cloneSuspected, false);
    assert.equal(alert?.evidence.scans, 2);
    assert.deepEqual(alert?.evidence.regions, ['AT', 'DE-BY']);
  });

  it('a known pack, or a GTIN nobody registered, raises nothing here', () => {
    assert.equal(unknownSerial(scanAt(1, 'DE'), [], supplied), null);
    assert.equal(unknownSerial(scanAt(1, 'DE'), [], { kind: 'unknown_product' }), null);
  });

  it('over the hourly bound, further serials join the latest open alert: counted, the first 20 listed, its own evidence kept', () => {
    const own = { scans: 1, scanIds: ['s0'] };
    let evidence: Record<string, unknown> = own;
    const at = (i: number): Date => new Date(Date.UTC(2026, 2, 2, 10, 0, i));
    for (let i = 0; i < 30; i++) evidence = withOtherSerial(evidence, { serial: `RANDOM${i}`, at: at(i), newScan: true, newSerial: true });
    const other = evidence.otherSerials as { serials: number; scans: number; sample: string[]; first: string; last: string };
    assert.equal(evidence.scans, 1, 'the alert’s own evidence is kept');
    assert.deepEqual([other.serials, other.scans], [30, 30]);
    assert.equal(other.sample.length, MAX_EVIDENCE_SERIALS);
    assert.deepEqual(other.sample.slice(0, 2), ['RANDOM0', 'RANDOM1']);
    assert.deepEqual([other.first, other.last], [at(0).toISOString(), at(29).toISOString()]);
    // A second scan of a serial already added counts a scan, not a serial; a scan judged again counts nothing.
    evidence = withOtherSerial(evidence, { serial: 'RANDOM3', at: at(40), newScan: true, newSerial: false });
    evidence = withOtherSerial(evidence, { serial: 'RANDOM3', at: at(41), newScan: false, newSerial: false });
    const after = evidence.otherSerials as typeof other;
    assert.deepEqual([after.serials, after.scans, after.sample.length], [30, 31, MAX_EVIDENCE_SERIALS]);
  });

  it('a repeat scan of the alert’s own serial replaces its own evidence and keeps the serials that joined it', () => {
    const joined = withOtherSerial({ scans: 1 }, { serial: 'RANDOM1', at: new Date(), newScan: true, newSerial: true });
    const next = keepOtherSerials(joined, { scans: 2 });
    assert.equal(next.scans, 2);
    assert.deepEqual((next.otherSerials as { sample: string[] }).sample, ['RANDOM1']);
    assert.deepEqual(keepOtherSerials(null, { scans: 1 }), { scans: 1 });
  });
});
