// The LMS mapping, one row per verdict reason (the tables in vrs-answer.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMVS_CODES, VERDICT_REASON_CODES, VerdictReasonCode } from '@pharmatrace/verification/pack-verdict';
import { ADDITIONAL_INFO_OF, CONNECTIVITY_ANSWER, vrsAnswer, VrsAnswerData } from './vrs-answer';

const answer = (...codes: VerdictReasonCode[]): VrsAnswerData => vrsAnswer({ reasons: codes.map((code) => ({ code, message: code, ...EMVS_CODES[code] })) });

describe('vrsAnswer: identifiers that do not match', () => {
  it('a pack with no reason is verified, with nothing more to say', () => {
    assert.deepEqual(answer(), { verified: true });
  });
  it('UNKNOWN_PRODUCT → No_match_GTIN_Serial', () => {
    assert.deepEqual(answer('UNKNOWN_PRODUCT'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial' });
  });
  it('UNKNOWN_SERIAL → No_match_GTIN_Serial, whatever the lot (no need to check lot or expiry)', () => {
    assert.deepEqual(answer('UNKNOWN_SERIAL'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial' });
    assert.deepEqual(answer('UNKNOWN_SERIAL', 'UNKNOWN_BATCH'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial' });
  });
  it('BATCH_MISMATCH → No_match_GTIN_Serial_Lot', () => {
    assert.deepEqual(answer('BATCH_MISMATCH'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' });
  });
  it('UNKNOWN_BATCH with a known serial → No_match_GTIN_Serial_Lot', () => {
    assert.deepEqual(answer('UNKNOWN_BATCH', 'BATCH_MISMATCH'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' });
    assert.deepEqual(answer('UNKNOWN_BATCH'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' });
  });
  it('EXPIRY_MISMATCH → No_match_GTIN_Serial_Expiry', () => {
    assert.deepEqual(answer('EXPIRY_MISMATCH'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Expiry' });
  });
  it('a lot and an expiry mismatch → No_match_GTIN_Serial_Lot_Expiry', () => {
    assert.deepEqual(answer('BATCH_MISMATCH', 'EXPIRY_MISMATCH'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot_Expiry' });
    assert.deepEqual(answer('UNKNOWN_BATCH', 'BATCH_MISMATCH', 'EXPIRY_MISMATCH'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot_Expiry' });
  });
  it('a mismatch wins over what is known against the pack: nothing about a pack is told to a label that does not match it', () => {
    assert.deepEqual(answer('BATCH_MISMATCH', 'RECALLED', 'STOLEN'), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' });
  });
});

describe('vrsAnswer: matching identifiers, with additionalInfo', () => {
  const rows: Array<[VerdictReasonCode, VrsAnswerData['additionalInfo']]> = [
    ['DESTROYED', 'Illegitimate'],
    ['STOLEN', 'Illegitimate'],
    ['SUSPECTED_CLONE', 'Suspect'],
    ['BAD_SIGNATURE', 'Suspect'],
    ['LOCKED', 'Suspect'],
    ['LOST', 'Suspect'],
    ['QUARANTINED', 'Suspect'],
    ['ALREADY_SUPPLIED', 'Suspect'],
    ['EXPORTED', 'Suspect'],
    ['SAMPLE', 'Suspect'],
    ['FREE_SAMPLE', 'Suspect'],
    ['RECALLED', 'Recalled'],
    ['EXPIRED', 'Expired'],
    ['IN_TRANSIT', undefined],
  ];
  for (const [code, info] of rows) {
    it(`${code} → verified true${info ? `, additionalInfo ${info}` : ', nothing more'}`, () => {
      assert.deepEqual(answer(code), info ? { verified: true, additionalInfo: info } : { verified: true });
    });
  }
  it('every verdict reason has a row (this table or the mismatch table)', () => {
    const mismatch = new Set<VerdictReasonCode>(['UNKNOWN_PRODUCT', 'UNKNOWN_SERIAL', 'UNKNOWN_BATCH', 'BATCH_MISMATCH', 'EXPIRY_MISMATCH']);
    const covered = new Set<VerdictReasonCode>([...mismatch, ...rows.map(([c]) => c)]);
    assert.deepEqual(VERDICT_REASON_CODES.filter((c) => !covered.has(c)), []);
    for (const [code, info] of rows) assert.equal(ADDITIONAL_INFO_OF[code], info);
  });
  it('several facts: the gravest is sent (Illegitimate > Suspect > Recalled > Expired)', () => {
    assert.deepEqual(answer('EXPIRED', 'RECALLED'), { verified: true, additionalInfo: 'Recalled' });
    assert.deepEqual(answer('RECALLED', 'SUSPECTED_CLONE'), { verified: true, additionalInfo: 'Suspect' });
    assert.deepEqual(answer('SUSPECTED_CLONE', 'DESTROYED', 'EXPIRED'), { verified: true, additionalInfo: 'Illegitimate' });
    assert.deepEqual(answer('IN_TRANSIT', 'EXPIRED'), { verified: true, additionalInfo: 'Expired' });
  });
  it('the connectivity answer is never a match', () => {
    assert.deepEqual(CONNECTIVITY_ANSWER, { verified: false, verificationFailureReason: 'No_reason_provided' });
  });
});

describe('vrsAnswer: the expiry against the pack itself', () => {
  it('expiryMismatch, when given, replaces the verdict’s own (judged against the scanned lot’s batch)', () => {
    const reasons = (...codes: VerdictReasonCode[]) => ({ reasons: codes.map((code) => ({ code, message: code, ...EMVS_CODES[code] })) });
    assert.deepEqual(vrsAnswer(reasons('BATCH_MISMATCH', 'EXPIRY_MISMATCH'), { expiryMismatch: false }), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' });
    assert.deepEqual(vrsAnswer(reasons('BATCH_MISMATCH'), { expiryMismatch: true }), { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot_Expiry' });
  });
});
