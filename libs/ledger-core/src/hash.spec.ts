import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { utf8 } from './encoding';
import { sha256, sha256Hex } from './hash';

describe('sha256', () => {
  it('matches the FIPS 180-2 known answers', () => {
    assert.equal(sha256Hex(utf8('')), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex(utf8('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(
      sha256Hex(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    assert.equal(sha256(utf8('abc')).length, 32);
  });
});
