import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  bytesEqual,
  concatBytes,
  fromBase64,
  fromBase64Url,
  fromHex,
  toBase64,
  toBase64Url,
  toHex,
  utf8,
} from './encoding';
import { LedgerCoreError } from './errors';

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof LedgerCoreError && err.code === code);
}

describe('hex', () => {
  it('encodes lowercase and round-trips', () => {
    assert.equal(toHex(new Uint8Array([0, 1, 0xab, 0xff])), '0001abff');
    assert.deepEqual(fromHex('0001abff'), new Uint8Array([0, 1, 0xab, 0xff]));
    assert.deepEqual(fromHex('ABFF'), new Uint8Array([0xab, 0xff]));
    assert.deepEqual(fromHex(''), new Uint8Array(0));
  });

  it('refuses odd lengths and non-hex characters with BAD_HEX', () => {
    for (const bad of ['abc', '0g', 'zz', '  ', '0x00', 'é0']) throwsCode(() => fromHex(bad), 'BAD_HEX');
  });
});

describe('base64 and base64url', () => {
  // RFC 4648 §10 test vectors.
  const rfc4648: Array<[string, string]> = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];

  it('matches the RFC 4648 vectors', () => {
    for (const [plain, encoded] of rfc4648) {
      assert.equal(toBase64(utf8(plain)), encoded);
      assert.deepEqual(fromBase64(encoded), utf8(plain));
      assert.equal(toBase64Url(utf8(plain)), encoded.replace(/=/g, ''));
      assert.deepEqual(fromBase64Url(encoded.replace(/=/g, '')), utf8(plain));
    }
  });

  it('uses the URL-safe alphabet without padding', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf]);
    assert.equal(toBase64(bytes), '+/+/');
    assert.equal(toBase64Url(bytes), '-_-_');
  });

  it('agrees with Node for random inputs of every length up to 100', () => {
    for (let n = 0; n <= 100; n++) {
      const bytes = new Uint8Array(randomBytes(n));
      assert.equal(toBase64(bytes), Buffer.from(bytes).toString('base64'));
      assert.equal(toBase64Url(bytes), Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(fromBase64Url(toBase64Url(bytes)), bytes);
      assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
      assert.equal(toHex(bytes), Buffer.from(bytes).toString('hex'));
    }
  });

  it('refuses invalid base64url with BAD_BASE64', () => {
    // padding, wrong alphabet, impossible length, non-canonical trailing bits
    for (const bad of ['Zg==', 'Zm+v', 'Zm/v', 'Z', 'Zh', 'Zm9', 'Zm9vY', 'a b', 'Zm9w€']) {
      throwsCode(() => fromBase64Url(bad), 'BAD_BASE64');
    }
  });

  it('refuses invalid standard base64 with BAD_BASE64', () => {
    for (const bad of ['Zg', 'Zg=', 'Zh==', 'Zm-v', 'Zm_v', '====', 'Z===', 'Zg==Zg==', 'Zm9v\n']) {
      throwsCode(() => fromBase64(bad), 'BAD_BASE64');
    }
  });
});

describe('byte helpers', () => {
  it('compares and concatenates', () => {
    assert.equal(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
    assert.equal(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
    assert.equal(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 0])), false);
    assert.deepEqual(concatBytes(new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3])), new Uint8Array([1, 2, 3]));
    assert.deepEqual(concatBytes(), new Uint8Array(0));
  });

  it('encodes UTF-8', () => {
    assert.deepEqual(utf8('é€😀'), new Uint8Array([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]));
  });
});
