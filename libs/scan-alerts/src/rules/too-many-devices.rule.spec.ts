import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tooManyDevices } from './too-many-devices.rule';
import { active, scanAt, settings, supplied } from './spec-fixtures';

const device = (i: number): string => `device-${String(i).padStart(12, '0')}`;

describe('TOO_MANY_DEVICES', () => {
  it('five devices in one home (the limit) raise nothing; a sixth raises a clone suspicion counting six devices', () => {
    const five = [1, 2, 3, 4].map((i) => scanAt(i, 'DE', device(i)));
    assert.equal(tooManyDevices(scanAt(5, 'DE', device(5)), five, supplied, settings), null);
    const alert = tooManyDevices(scanAt(6, 'DE', device(6)), [...five, scanAt(5, 'DE', device(5))], supplied, settings);
    assert.equal(alert?.kind, 'TOO_MANY_DEVICES');
    assert.equal(alert?.cloneSuspected, true);
    assert.equal(alert?.evidence.devices, 6);
    assert.equal(alert?.evidence.maxDevices, 5);
    assert.equal(JSON.stringify(alert?.evidence).includes(device(6)), false, 'device ids are never evidence');
  });

  it('one device scanning a hundred times is one device', () => {
    const many = Array.from({ length: 100 }, (_, i) => scanAt(i, 'DE', device(1)));
    assert.equal(tooManyDevices(scanAt(101, 'DE', device(1)), many, supplied, settings), null);
  });

  it('devices before the supply (the supply chain at work) and on an active pack do not count', () => {
    const before = [1, 2, 3, 4, 5, 6].map((i) => scanAt(-i, 'DE', device(i)));
    assert.equal(tooManyDevices(scanAt(1, 'DE', device(7)), before, supplied, settings), null);
    assert.equal(tooManyDevices(scanAt(1, 'DE', device(7)), before, active, settings), null);
  });
});
