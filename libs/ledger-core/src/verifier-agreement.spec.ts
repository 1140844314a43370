// The server verifies with node:crypto (OpenSSL), browsers and the offline QR check with noble.
// A signature the server accepted but a patient's phone rejected (or the reverse) would make the
// ledger's verdict depend on who checks it, so both must give the same answer on every input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes, verify as opensslVerify } from 'node:crypto';
import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex } from './encoding';
import { generateKeyPair, nobleVerifier, signMessage } from './keys';
import { NodeCryptoVerifier } from './node-crypto-verifier';

const nodeVerifier = new NodeCryptoVerifier();
const Point = ed25519.Point;
const L = Point.Fn.ORDER;

/** Both verifiers' verdicts, asserted equal; returns the common verdict. */
function verdict(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const noble = nobleVerifier.verify(signature, message, publicKey);
  const node = nodeVerifier.verify(signature, message, publicKey);
  assert.equal(noble, node, 'noble and node:crypto disagree');
  return noble;
}

/** OpenSSL with no guard of ours, to show which inputs the guards are for. */
function rawOpenSsl(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
  return opensslVerify(null, message, createPublicKey({ key: der, format: 'der', type: 'spki' }), signature);
}

function randomMessage(): Uint8Array {
  return new Uint8Array(randomBytes(randomBytes(1)[0]));
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

/** A signature made with knowledge of the secret scalar, for crafting edge cases. */
function craft(secretKey: Uint8Array, message: Uint8Array, nonce: bigint, torsion: string | null, publicKey?: Uint8Array) {
  const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(secretKey);
  const A = publicKey ?? pointBytes;
  let R = Point.BASE.multiply(nonce);
  if (torsion !== null) R = R.add(Point.fromHex(torsion));
  const rBytes = R.toBytes();
  const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(rBytes, A, message))));
  const s = Point.Fn.create(nonce + k * scalar);
  return concatBytes(rBytes, numberToBytesLE(s, 32));
}

describe('noble and node:crypto verifiers agree', () => {
  const keys = Array.from({ length: 20 }, () => generateKeyPair());

  it('accept valid signatures for many random keys and messages', () => {
    for (let i = 0; i < 200; i++) {
      const { secretKey, publicKey } = keys[i % keys.length];
      const message = randomMessage();
      assert.equal(verdict(signMessage(message, secretKey), message, publicKey), true);
    }
  });

  it('reject a tampered message', () => {
    for (let i = 0; i < 50; i++) {
      const { secretKey, publicKey } = keys[i % keys.length];
      const message = concatBytes(randomMessage(), new Uint8Array([i]));
      const sig = signMessage(message, secretKey);
      assert.equal(verdict(sig, flipBit(message, (i * 7) % (message.length * 8)), publicKey), false);
      assert.equal(verdict(sig, concatBytes(message, new Uint8Array([0])), publicKey), false);
    }
  });

  it('reject every single flipped signature bit', () => {
    const { secretKey, publicKey } = keys[0];
    const message = randomMessage();
    const sig = signMessage(message, secretKey);
    for (let bit = 0; bit < 512; bit++) assert.equal(verdict(flipBit(sig, bit), message, publicKey), false, `bit ${bit}`);
  });

  it('reject a signature checked against another key', () => {
    const message = randomMessage();
    assert.equal(verdict(signMessage(message, keys[0].secretKey), message, keys[1].publicKey), false);
  });

  it('reject signatures of the wrong length', () => {
    const message = randomMessage();
    const sig = signMessage(message, keys[0].secretKey);
    for (const bad of [new Uint8Array(0), sig.subarray(0, 63), concatBytes(sig, new Uint8Array([0])), concatBytes(sig, sig)]) {
      assert.equal(verdict(bad, message, keys[0].publicKey), false);
    }
  });

  it('reject keys of the wrong length', () => {
    const message = randomMessage();
    const sig = signMessage(message, keys[0].secretKey);
    for (const bad of [new Uint8Array(0), keys[0].publicKey.subarray(0, 31), concatBytes(keys[0].publicKey, new Uint8Array([0]))]) {
      assert.equal(verdict(sig, message, bad), false);
    }
  });

  it('reject the all-zero key', () => {
    const message = randomMessage();
    assert.equal(verdict(signMessage(message, keys[0].secretKey), message, new Uint8Array(32)), false);
  });

  it('reject every small-order key, including the forgeries OpenSSL alone would accept', () => {
    // With A = identity, [S]B - [k]A = [S]B for every message: (B, S = 1) "signs" anything.
    const anyMessage = randomMessage();
    const forged = concatBytes(Point.BASE.toBytes(), numberToBytesLE(1n, 32));
    const identity = fromHex('01'.padEnd(64, '0'));
    const nonCanonicalIdentity = fromHex('ee' + 'ff'.repeat(30) + '7f'); // y = p + 1
    assert.equal(rawOpenSsl(forged, anyMessage, identity), true, 'OpenSSL itself accepts the forgery');
    assert.equal(rawOpenSsl(forged, anyMessage, nonCanonicalIdentity), true, 'OpenSSL itself accepts the forgery');
    assert.equal(verdict(forged, anyMessage, identity), false);
    assert.equal(verdict(forged, anyMessage, nonCanonicalIdentity), false);
    for (const torsion of ED25519_TORSION_SUBGROUP) {
      assert.equal(verdict(forged, anyMessage, fromHex(torsion)), false, torsion);
    }
  });

  it('reject a non-canonical S (S + L)', () => {
    const { secretKey, publicKey } = keys[0];
    const message = randomMessage();
    const sig = signMessage(message, secretKey);
    const s = bytesToNumberLE(sig.subarray(32));
    const malleated = concatBytes(sig.subarray(0, 32), numberToBytesLE(s + L, 32));
    assert.equal(verdict(malleated, message, publicKey), false);
  });

  it('reject an R that is not a point on the curve', () => {
    const { secretKey, publicKey } = keys[0];
    const message = randomMessage();
    const sig = signMessage(message, secretKey);
    // y = 2 has no x on the curve (the decoding's square root does not exist).
    const notOnCurve = numberToBytesLE(2n, 32);
    assert.throws(() => Point.fromBytes(notOnCurve));
    assert.equal(verdict(concatBytes(notOnCurve, sig.subarray(32)), message, publicKey), false);
  });

  it('reject an R carrying a small-order component, which noble\'s cofactored verify would accept', () => {
    const { secretKey, publicKey } = keys[0];
    const message = randomMessage();
    for (const torsion of ED25519_TORSION_SUBGROUP.filter((t) => t !== ED25519_TORSION_SUBGROUP[0])) {
      const sig = craft(secretKey, message, 1234567890123456789n, torsion);
      // The reason keys.ts does not call ed25519.verify: it would say yes here, OpenSSL says no.
      assert.equal(ed25519.verify(sig, message, publicKey, { zip215: false }), true);
      assert.equal(verdict(sig, message, publicKey), false);
    }
    // Control: the same construction without torsion is an ordinary valid signature.
    assert.equal(verdict(craft(secretKey, message, 1234567890123456789n, null), message, publicKey), true);
  });

  it('agree message by message on a key carrying a small-order component', () => {
    // A' = aB + T is not small-order, so both accept it as a key; the cofactorless equation then
    // holds only for messages whose challenge k is a multiple of T's order. Same rule in both.
    const { secretKey } = keys[0];
    const { scalar } = ed25519.utils.getExtendedPublicKey(secretKey);
    const mixedKey = Point.BASE.multiply(scalar).add(Point.fromHex(ED25519_TORSION_SUBGROUP[1])).toBytes();
    let accepted = 0;
    for (let i = 0; i < 64; i++) {
      const message = new Uint8Array([i]);
      if (verdict(craft(secretKey, message, 987654321n + BigInt(i), null, mixedKey), message, mixedKey)) accepted++;
    }
    assert.ok(accepted > 0 && accepted < 64, `expected some but not all to verify, got ${accepted}/64`);
  });

  it('never throw on junk input', () => {
    const junk: unknown[] = [null, undefined, 'sig', 7, {}, new Uint8Array(64), new Uint8Array(32)];
    for (const a of junk) for (const b of junk) for (const c of junk) verdict(a as Uint8Array, b as Uint8Array, c as Uint8Array);
  });
});

describe('NodeCryptoVerifier key cache', () => {
  it('keeps at most the configured number of keys, evicting the least recently used', () => {
    const verifier = new NodeCryptoVerifier(3);
    const pairs = Array.from({ length: 5 }, () => generateKeyPair());
    const message = new Uint8Array([1]);
    const sigs = pairs.map((p) => signMessage(message, p.secretKey));
    for (let i = 0; i < 5; i++) assert.equal(verifier.verify(sigs[i], message, pairs[i].publicKey), true);
    assert.equal(verifier.cachedKeys, 3);
    // Evicted keys are rebuilt transparently.
    for (let i = 0; i < 5; i++) assert.equal(verifier.verify(sigs[i], message, pairs[i].publicKey), true);
    assert.equal(verifier.cachedKeys, 3);
  });

  it('does not cache keys it refuses', () => {
    const verifier = new NodeCryptoVerifier();
    verifier.verify(new Uint8Array(64), new Uint8Array(0), fromHex('01'.padEnd(64, '0')));
    assert.equal(verifier.cachedKeys, 0);
  });
});
