import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, keyIdOf } from './keys';
import { packLabelMessage, signPackLabel, verifyPackLabel, type PackLabelFields } from './pack-label';

const keys = generateKeyPair();
const fields: PackLabelFields = { gtin: '09506000134352', lot: 'A/1%&+', serial: 'SN-0001', expiry: '271231', kid: keyIdOf(keys.publicKey) };

describe('pack label signature (docs/pack-labels.md)', () => {
  it('signs exactly the documented bytes: JCS of exp, gtin, kid, lot, ser, t, v', () => {
    const expected = `{"exp":"271231","gtin":"09506000134352","kid":"${fields.kid}","lot":"A/1%&+","ser":"SN-0001","t":"pharmatrace.pack-label","v":1}`;
    assert.equal(new TextDecoder().decode(packLabelMessage(fields)), expected);
  });

  it('verifies its own signature, 86 base64url characters', () => {
    const signature = signPackLabel(fields, keys.secretKey);
    assert.match(signature, /^[A-Za-z0-9_-]{86}$/);
    assert.equal(verifyPackLabel(fields, signature, keys.publicKey), true);
  });

  it('refuses a signature once any identifier or the key id changes', () => {
    const signature = signPackLabel(fields, keys.secretKey);
    for (const change of [{ gtin: '09506000134369' }, { lot: 'A/1%&-' }, { serial: 'SN-0002' }, { expiry: '271230' }, { kid: 'ed25519:' + '0'.repeat(32) }]) {
      assert.equal(verifyPackLabel({ ...fields, ...change }, signature, keys.publicKey), false, JSON.stringify(change));
    }
  });

  it('refuses another key, and malformed signatures without throwing', () => {
    const signature = signPackLabel(fields, keys.secretKey);
    assert.equal(verifyPackLabel(fields, signature, generateKeyPair().publicKey), false);
    for (const bad of ['', 'not base64!', signature.slice(1), signature + 'A', signature.slice(0, -1) + '=']) {
      assert.equal(verifyPackLabel(fields, bad, keys.publicKey), false, bad);
    }
  });
});
