import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gs1CheckDigit, isValidGln, isValidGs1Number, isValidSscc, normalizeGtin, withGlnCheckDigit, withSsccCheckDigit } from './check-digit';

describe('GS1 check digits', () => {
  it('matches published examples', () => {
    // a GTIN-13 printed on retail goods
    assert.equal(gs1CheckDigit('400638133393'), 1);
    assert.equal(isValidGs1Number('4006381333931', 13), true);
    // SSCC example from the GS1 General Specifications: 106141411234567897
    assert.equal(isValidGs1Number('106141411234567897', 18), true);
    assert.equal(isValidGln(withGlnCheckDigit('061414100000')), true);
  });

  it('refuses a wrong check digit, a wrong length and non-digits', () => {
    assert.equal(isValidGs1Number('4006381333932', 13), false);
    assert.equal(isValidGln('400638133393'), false);
    assert.equal(isValidGln('40063813339a1'), false);
  });
});

describe('GTIN and SSCC', () => {
  it('normalises valid GTINs to 14 digits and refuses bad ones', () => {
    assert.equal(normalizeGtin('4006381333931'), '04006381333931');
    assert.equal(normalizeGtin('04006381333931'), '04006381333931');
    assert.equal(normalizeGtin('4006381333932'), null);
    assert.equal(normalizeGtin('40063813339'), null);
  });
  it('validates SSCCs and completes their check digit', () => {
    assert.equal(isValidSscc('106141411234567897'), true);
    assert.equal(isValidSscc('106141411234567890'), false);
    assert.equal(withSsccCheckDigit('10614141123456789'), '106141411234567897');
  });
});
