// The request's parameters, refused before anything is looked up or logged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseVrsRequest, VrsRequestResult } from './vrs-request';

const NOW = new Date('2026-11-30T04:00:00Z');
const GTIN = '09506000134352';
const GLN = '9506000134369';
const UUID = '7f3b2c4e-9a1d-4e6b-8c2f-0a1b2c3d4e5f';
const parse = (path: Partial<{ gtin: string; lot: string; serial: string }> = {}, query: Record<string, string | string[] | undefined> = {}): VrsRequestResult =>
  parseVrsRequest({ gtin: GTIN, lot: 'L2026A', serial: 'SN0001', ...path }, { exp: '280131', linkType: 'verificationService', reqGLN: GLN, corrUUID: UUID, context: 'dscsaSaleableReturn', ...query }, NOW);
const code = (r: VrsRequestResult): string => (r.ok ? 'ok' : r.code);

describe('parseVrsRequest', () => {
  it('a complete request: identifiers, expiry as a date, the rest as sent', () => {
    const r = parse();
    assert.ok(r.ok);
    assert.deepEqual(r.request, {
      ids: { gtin: GTIN, lot: 'L2026A', serial: 'SN0001', expiry: '2028-01-31' },
      exp: '280131',
      context: 'dscsaSaleableReturn',
      reqGLN: GLN,
      corrUUID: UUID,
      checkConnectivity: false,
    });
  });
  it('optional: linkType, context, reqGLN, corrUUID; checkConnectivity=true', () => {
    const r = parseVrsRequest({ gtin: GTIN, lot: 'A', serial: 'B' }, { exp: '280100', checkConnectivity: 'true' }, NOW);
    assert.ok(r.ok);
    assert.equal(r.request.checkConnectivity, true);
    assert.equal(r.request.ids.expiry, '2028-01-31', 'DD = 00 is the month’s last day (GS1 AI 17)');
    assert.equal(r.request.corrUUID, null);
  });
  it('GTIN: 14 digits with a valid check digit', () => {
    assert.equal(code(parse({ gtin: '09506000134353' })), 'INVALID_GTIN');
    assert.equal(code(parse({ gtin: '9506000134352' })), 'INVALID_GTIN');
    assert.equal(code(parse({ gtin: '0950600013435X' })), 'INVALID_GTIN');
  });
  it('lot and serial: 1–20 characters of CSET 82, sent exactly', () => {
    assert.equal(code(parse({ serial: 'S'.repeat(21) })), 'INVALID_SERIAL');
    assert.equal(code(parse({ serial: 'S'.repeat(20) })), 'ok');
    assert.equal(code(parse({ serial: 'AB\u0000C' })), 'INVALID_SERIAL');
    assert.equal(code(parse({ serial: 'AB\nC' })), 'INVALID_SERIAL');
    assert.equal(code(parse({ serial: ' AB' })), 'INVALID_SERIAL');
    assert.equal(code(parse({ serial: 'A#B' })), 'INVALID_SERIAL');
    assert.equal(code(parse({ lot: 'L'.repeat(21) })), 'INVALID_LOT');
    assert.equal(code(parse({ lot: 'L 1' })), 'INVALID_LOT');
    assert.equal(code(parse({ lot: '' })), 'INVALID_LOT');
    assert.equal(code(parse({ lot: 'A/B-C.%' })), 'ok');
  });
  it('exp: required, YYMMDD, a real date', () => {
    assert.equal(code(parse({}, { exp: undefined })), 'INVALID_EXPIRY');
    assert.equal(code(parse({}, { exp: '2028-01-31' })), 'INVALID_EXPIRY');
    assert.equal(code(parse({}, { exp: '280231' })), 'INVALID_EXPIRY');
    assert.equal(code(parse({}, { exp: '281301' })), 'INVALID_EXPIRY');
    assert.equal(code(parse({}, { exp: '28013' })), 'INVALID_EXPIRY');
  });
  it('corrUUID: a UUID', () => {
    assert.equal(code(parse({}, { corrUUID: 'not-a-uuid' })), 'INVALID_CORR_UUID');
    assert.equal(code(parse({}, { corrUUID: `${UUID}0` })), 'INVALID_CORR_UUID');
    assert.equal(code(parse({}, { corrUUID: UUID.toUpperCase() })), 'ok');
  });
  it('reqGLN: 13 digits with a valid check digit', () => {
    assert.equal(code(parse({}, { reqGLN: '9506000134360' })), 'INVALID_GLN');
    assert.equal(code(parse({}, { reqGLN: '950600013436' })), 'INVALID_GLN');
  });
  it('linkType, context, checkConnectivity, and a parameter sent twice', () => {
    assert.equal(code(parse({}, { linkType: 'pip' })), 'INVALID_VRS_PARAMETER');
    assert.equal(code(parse({}, { linkType: 'gs1:verificationService' })), 'ok');
    assert.equal(code(parse({}, { context: 'x y' })), 'INVALID_VRS_PARAMETER');
    assert.equal(code(parse({}, { checkConnectivity: 'yes' })), 'INVALID_VRS_PARAMETER');
    assert.equal(code(parse({}, { exp: ['280131', '280131'] })), 'INVALID_VRS_PARAMETER');
  });
  it('every refusal carries a sentence', () => {
    const r = parse({ serial: 'S'.repeat(21) });
    assert.ok(!r.ok && r.message.length > 20);
  });
});
