import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { differentPlaces, placeOf, regionsWithinWindow } from './regions-within-window.rule';
import { active, scanAt, settings, supplied } from './spec-fixtures';

const phone = 'device-phone-aaaaaaaa';
const other = 'device-other-bbbbbbbb';

describe('REGIONS_WITHIN_WINDOW', () => {
  it('a supplied pack scanned in Bavaria and, 30 minutes later, in France by another phone: a clone is suspected, with both regions as evidence', () => {
    const first = scanAt(10, 'DE-BY', phone);
    const alert = regionsWithinWindow(scanAt(40, 'FR', other), [first], supplied, settings);
    assert.equal(alert?.kind, 'REGIONS_WITHIN_WINDOW');
    assert.equal(alert?.cloneSuspected, true);
    assert.deepEqual(alert?.evidence.regions, ['DE-BY', 'FR']);
    assert.equal(alert?.evidence.scans, 2);
    assert.equal(alert?.evidence.spanMinutes, 30);
  });

  it('two time zones far apart from two phones: a clone is suspected (like compared with like)', () => {
    const alert = regionsWithinWindow(scanAt(20, 'America/Sao_Paulo', other), [scanAt(10, 'Europe/Berlin', phone)], supplied, settings);
    assert.deepEqual(alert?.evidence.regions, ['America/Sao_Paulo', 'Europe/Berlin']);
  });

  it('the same two countries three hours apart: a patient who travelled, nothing', () => {
    assert.equal(regionsWithinWindow(scanAt(200, 'FR', other), [scanAt(10, 'DE-BY', phone)], supplied, settings), null);
  });

  it('ISO codes compare at country level: DE, DE-BY and DE-BE are one place, DE-BY and FR two', () => {
    assert.equal(regionsWithinWindow(scanAt(20, 'DE-BY', other), [scanAt(10, 'DE', phone)], supplied, settings), null);
    assert.equal(regionsWithinWindow(scanAt(40, 'DE-BE', other), [scanAt(10, 'DE-BY', phone)], supplied, settings), null);
    assert.equal(differentPlaces('DE', 'DE-BY'), false);
    assert.equal(differentPlaces('DE-BE', 'DE-BY'), false);
    assert.equal(differentPlaces('DE-BY', 'FR'), true);
    assert.equal(differentPlaces('Europe/Berlin', 'Europe/Paris'), true);
    assert.deepEqual(placeOf('DE-BY'), { kind: 'country', country: 'DE' });
    assert.deepEqual(placeOf('Europe/Berlin'), { kind: 'zone', zone: 'Europe/Berlin' });
  });

  it('one phone: its page sends the time zone Europe/Berlin, its app then Scan-Region DE, with the same device id: nothing', () => {
    const page = scanAt(10, 'Europe/Berlin', phone);
    assert.equal(regionsWithinWindow(scanAt(11, 'DE', phone), [page], supplied, settings), null);
  });

  it('two scans from one device id never count as two places, even DE then BR', () => {
    assert.equal(regionsWithinWindow(scanAt(11, 'BR', phone), [scanAt(10, 'DE', phone)], supplied, settings), null);
    // …but another device in the window still counts against it.
    const alert = regionsWithinWindow(scanAt(12, 'BR', phone), [scanAt(10, 'DE', phone), scanAt(11, 'DE', other)], supplied, settings);
    assert.equal(alert?.kind, 'REGIONS_WITHIN_WINDOW');
  });

  it('a time zone and an ISO code are not comparable: Europe/Berlin then BR from two devices raises nothing', () => {
    assert.equal(differentPlaces('Europe/Berlin', 'BR'), false);
    assert.equal(differentPlaces('DE', 'America/Sao_Paulo'), false);
    assert.equal(regionsWithinWindow(scanAt(20, 'BR', other), [scanAt(10, 'Europe/Berlin', phone)], supplied, settings), null);
  });

  it('scans without a device id may be two devices: DE then BR raises (the alert is evidence; the verdict waits for an investigator)', () => {
    assert.equal(regionsWithinWindow(scanAt(20, 'BR', null), [scanAt(10, 'DE', null)], supplied, settings)?.kind, 'REGIONS_WITHIN_WINDOW');
  });

  it('a pack still in the supply chain (active) moves: nothing, however far apart the scans', () => {
    assert.equal(regionsWithinWindow(scanAt(20, 'FR', other), [scanAt(10, 'DE', phone)], active, settings), null);
  });

  it('scans before the supply do not count: the pharmacy scanned it in its region before handing it over', () => {
    assert.equal(regionsWithinWindow(scanAt(20, 'FR', other), [scanAt(-5, 'DE-BY', phone)], supplied, settings), null);
  });

  it('a scan without a region judges nothing', () => {
    assert.equal(regionsWithinWindow(scanAt(20, null, other), [scanAt(10, 'DE-BY', phone)], supplied, settings), null);
  });
});
