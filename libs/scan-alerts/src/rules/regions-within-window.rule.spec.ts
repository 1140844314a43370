import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { regionsWithinWindow, sameRegion } from './regions-within-window.rule';
import { active, scanAt, settings, supplied } from './spec-fixtures';

describe('REGIONS_WITHIN_WINDOW', () => {
  it('a supplied pack scanned in Bavaria and, 30 minutes later, in Berlin: a clone is suspected, with both regions as evidence', () => {
    const first = scanAt(10, 'DE-BY');
    const alert = regionsWithinWindow(scanAt(40, 'DE-BE'), [first], supplied, settings);
    assert.equal(alert?.kind, 'REGIONS_WITHIN_WINDOW');
    assert.equal(alert?.cloneSuspected, true);
    assert.deepEqual(alert?.evidence.regions, ['DE-BE', 'DE-BY']);
    assert.equal(alert?.evidence.scans, 2);
    assert.equal(alert?.evidence.spanMinutes, 30);
  });

  it('the same two regions three hours apart: a patient who travelled, nothing', () => {
    assert.equal(regionsWithinWindow(scanAt(200, 'DE-BE'), [scanAt(10, 'DE-BY')], supplied, settings), null);
  });

  it('a country and one of its regions may be one place: DE then DE-BY raises nothing', () => {
    assert.equal(regionsWithinWindow(scanAt(20, 'DE-BY'), [scanAt(10, 'DE')], supplied, settings), null);
    assert.equal(sameRegion('DE', 'DE-BY'), true);
    assert.equal(sameRegion('DE-BE', 'DE-BY'), false);
    assert.equal(sameRegion('Europe/Berlin', 'Europe/Paris'), false);
  });

  it('a pack still in the supply chain (active) moves: nothing, however far apart the scans', () => {
    assert.equal(regionsWithinWindow(scanAt(20, 'FR'), [scanAt(10, 'DE')], active, settings), null);
  });

  it('scans before the supply do not count: the pharmacy scanned it in its region before handing it over', () => {
    assert.equal(regionsWithinWindow(scanAt(20, 'DE-BE'), [scanAt(-5, 'DE-BY')], supplied, settings), null);
  });

  it('a scan without a region judges nothing', () => {
    assert.equal(regionsWithinWindow(scanAt(20, null), [scanAt(10, 'DE-BY')], supplied, settings), null);
  });
});
