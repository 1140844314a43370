import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { unknownSerial } from './unknown-serial.rule';
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
});
