import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex, utf8 } from './encoding';
import { LedgerCoreError } from './errors';
import { generateKeyPair, isValidPublicKey, keyIdOf, nobleVerifier, publicKeyFromSecret, signMessage } from './keys';
import { sha256Hex } from './hash';

// RFC 8032 §7.1 TEST 1, TEST 2 and TEST 3.
const RFC8032 = [
  {
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

describe('Ed25519 keys', () => {
  it('matches the RFC 8032 test vectors for keys and signatures', () => {
    for (const v of RFC8032) {
      const secretKey = fromHex(v.secret);
      assert.equal(toHex(publicKeyFromSecret(secretKey)), v.public);
      assert.equal(toHex(signMessage(fromHex(v.message), secretKey)), v.signature);
      assert.equal(nobleVerifier.verify(fromHex(v.signature), fromHex(v.message), fromHex(v.public)), true);
    }
  });

  it('generates distinct, valid key pairs', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    assert.equal(a.secretKey.length, 32);
    assert.equal(a.publicKey.length, 32);
    assert.notEqual(toHex(a.secretKey), toHex(b.secretKey));
    assert.deepEqual(publicKeyFromSecret(a.secretKey), a.publicKey);
    assert.equal(isValidPublicKey(a.publicKey), true);
  });

  it('derives a deterministic key id from the public key', () => {
    const pk = fromHex(RFC8032[0].public);
    assert.equal(keyIdOf(pk), 'ed25519:' + sha256Hex(pk).slice(0, 32));
    assert.match(keyIdOf(pk), /^ed25519:[0-9a-f]{32}$/);
    assert.notEqual(keyIdOf(pk), keyIdOf(fromHex(RFC8032[1].public)));
  });

  it('refuses secret keys of the wrong length with BAD_SECRET_KEY', () => {
    for (const bad of [new Uint8Array(0), new Uint8Array(31), new Uint8Array(64)]) {
      assert.throws(() => signMessage(utf8('x'), bad), (e: unknown) => e instanceof LedgerCoreError && e.code === 'BAD_SECRET_KEY');
      assert.throws(() => publicKeyFromSecret(bad), (e: unknown) => e instanceof LedgerCoreError && e.code === 'BAD_SECRET_KEY');
    }
  });

  it('accepts only 32-byte keys that decode to points of large order', () => {
    assert.equal(isValidPublicKey(new Uint8Array(31)), false);
    assert.equal(isValidPublicKey(new Uint8Array(33)), false);
    assert.equal(isValidPublicKey(new Uint8Array(32)), false); // order-4 point
    assert.equal(isValidPublicKey(fromHex('01'.padEnd(64, '0'))), false); // identity
    // 2^255 - 18: a non-canonical spelling of the identity (y = p + 1).
    assert.equal(isValidPublicKey(fromHex('ee' + 'ff'.repeat(30) + '7f')), false);
  });

  it('never throws from the verifier, whatever it is given', () => {
    const junk: unknown[] = [null, undefined, 'text', 42, {}, [1, 2], new Uint8Array(64)];
    for (const a of junk) {
      for (const b of junk) {
        assert.equal(nobleVerifier.verify(a as Uint8Array, b as Uint8Array, a as Uint8Array), false);
      }
    }
  });
});
