import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { glnProblem, gs1CheckDigit, gtin14Problem, ssccProblem, withGlnCheckDigit } from './check-digit';

describe('GS1 number problems name the fix', () => {
  it('a wrong GTIN check digit names the right one', () => {
    assert.equal(gtin14Problem('04006381333931'), null);
    assert.equal(gtin14Problem('04006381333932'), 'GTIN 04006381333932 ends in 2, but the check digit should be 1 (04006381333931).');
    assert.match(gtin14Problem('4006381333930') ?? '', /the check digit should be 1 /);
  });

  it('a valid short GTIN is told its 14-digit form; wrong lengths and non-digits are named', () => {
    assert.equal(gtin14Problem('4006381333931'), 'GTIN 4006381333931 must be given as 14 digits, padded with leading zeros: 04006381333931.');
    assert.match(gtin14Problem('400638133393') ?? '', /check digit should be/);
    assert.equal(gtin14Problem('0400638133393'.slice(0, 10)), 'GTIN 0400638133 has 10 digits; it must have 14.');
    assert.equal(gtin14Problem('0400638133393X'), 'GTIN 0400638133393X must consist of 14 digits only.');
  });

  it('a wrong SSCC check digit names the right one', () => {
    assert.equal(ssccProblem('106141411234567897'), null);
    assert.equal(ssccProblem('106141411234567890'), 'SSCC 106141411234567890 ends in 0, but the check digit should be 7 (106141411234567897).');
    assert.equal(ssccProblem('10614141123456789'), 'SSCC 10614141123456789 has 17 digits; it must have 18.');
  });

  it('a wrong GLN check digit names the right one', () => {
    const gln = withGlnCheckDigit('061414100000');
    assert.equal(glnProblem(gln), null);
    const right = gs1CheckDigit('061414100000');
    const wrong = `061414100000${(right + 1) % 10}`;
    assert.equal(glnProblem(wrong), `GLN ${wrong} ends in ${(right + 1) % 10}, but the check digit should be ${right} (${gln}).`);
    assert.equal(glnProblem('40063813339a1'), 'GLN 40063813339a1 must consist of 13 digits only.');
  });
});
