import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gs1CheckDigit, isValidGln, isValidGs1Number, withGlnCheckDigit } from './check-digit';

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
