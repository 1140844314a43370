import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BLOCK_SIGNATURE_CONTEXT,
  blockHeaderHash,
  blockSigningMessage,
  signBlockHeader,
  validateBlockHeader,
  verifyBlockHeader,
  verifyHeaderLink,
  type BlockHeader,
  type SignedBlockHeader,
} from './block-header';
import { canonicalJson } from './canonical';
import { fromBase64Url, toBase64Url, toHex, utf8 } from './encoding';
import { eventSigningMessage } from './envelope';
import { LedgerCoreError } from './errors';
import { sha256Hex } from './hash';
import { generateKeyPair, keyIdOf, signMessage } from './keys';
import { NodeCryptoVerifier } from './node-crypto-verifier';

const ledgerKey = generateKeyPair();
const ROOT = 'cd'.repeat(32);

const genesis: BlockHeader = { height: 1, prevHeaderHash: null, treeSize: 3, rootHash: ROOT, firstSeq: 1, lastSeq: 3, sealedAt: '2025-03-01T12:00:00.000Z' };
const second: BlockHeader = { height: 2, prevHeaderHash: blockHeaderHash(genesis), treeSize: 5, rootHash: 'ef'.repeat(32), firstSeq: 4, lastSeq: 5, sealedAt: '2025-03-01T12:00:05.000Z' };

function codesOf(h: unknown): string[] {
  const check = validateBlockHeader(h);
  return check.ok ? [] : check.problems.map((p) => `${p.code}@${p.path}`);
}

function linkCode(prev: BlockHeader | null, next: BlockHeader): string {
  const verdict = verifyHeaderLink(prev, next);
  return verdict.ok ? 'ok' : verdict.code;
}

describe('validateBlockHeader', () => {
  it('accepts genesis and later headers', () => {
    assert.deepEqual(codesOf(genesis), []);
    assert.deepEqual(codesOf(second), []);
  });

  it('names each problem', () => {
    const cases: Array<[unknown, string[]]> = [
      [null, ['NOT_AN_OBJECT@']],
      [[], ['NOT_AN_OBJECT@']],
      [{ ...genesis, extra: 1 }, ['UNKNOWN_FIELD@extra']],
      [(({ rootHash: _r, ...rest }) => rest)(genesis), ['MISSING_FIELD@rootHash']],
      [{ ...genesis, height: 0 }, ['BAD_HEIGHT@height', 'BAD_PREV_HEADER_HASH@prevHeaderHash']],
      [{ ...second, height: 2.5 }, ['BAD_HEIGHT@height']],
      [{ ...genesis, prevHeaderHash: ROOT }, ['BAD_PREV_HEADER_HASH@prevHeaderHash']],
      [{ ...second, prevHeaderHash: null }, ['BAD_PREV_HEADER_HASH@prevHeaderHash']],
      [{ ...second, prevHeaderHash: ROOT.toUpperCase() }, ['BAD_PREV_HEADER_HASH@prevHeaderHash']],
      [{ ...genesis, treeSize: 0 }, ['BAD_TREE_SIZE@treeSize']],
      [{ ...genesis, treeSize: 2 }, ['BAD_TREE_SIZE@treeSize']],
      [{ ...genesis, rootHash: 'cd' }, ['BAD_ROOT_HASH@rootHash']],
      [{ ...genesis, firstSeq: -1 }, ['BAD_SEQ@firstSeq']],
      [{ ...genesis, lastSeq: '3' }, ['BAD_SEQ@lastSeq']],
      [{ ...genesis, firstSeq: 4 }, ['BAD_SEQ@lastSeq']],
      [{ ...genesis, sealedAt: '2025-03-01T12:00:00+01:00' }, ['BAD_TIMESTAMP@sealedAt']],
      [{ ...genesis, sealedAt: '2025-02-30T12:00:00Z' }, ['BAD_TIMESTAMP@sealedAt']],
    ];
    for (const [input, want] of cases) assert.deepEqual(codesOf(input), want, JSON.stringify(input));
  });
});

describe('block header hashing and signing', () => {
  it('hashes the canonical JSON', () => {
    assert.equal(blockHeaderHash(genesis), sha256Hex(utf8(canonicalJson(genesis))));
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(genesis).reverse()))) as BlockHeader;
    assert.equal(blockHeaderHash(reordered), blockHeaderHash(genesis));
    assert.notEqual(blockHeaderHash({ ...genesis, rootHash: 'ce'.repeat(32) }), blockHeaderHash(genesis));
  });

  it('signs context ‖ 0x00 ‖ hash, distinct from the event context', () => {
    const hash = blockHeaderHash(genesis);
    const message = blockSigningMessage(hash);
    assert.equal(new TextDecoder().decode(message.subarray(0, BLOCK_SIGNATURE_CONTEXT.length)), 'PharmaTrace/block/v1');
    assert.equal(message[BLOCK_SIGNATURE_CONTEXT.length], 0);
    assert.equal(toHex(message.subarray(BLOCK_SIGNATURE_CONTEXT.length + 1)), hash);
    assert.notEqual(toHex(message), toHex(eventSigningMessage(hash)));
  });

  it('round-trips with both verifiers', () => {
    const signed = signBlockHeader(genesis, ledgerKey.secretKey);
    assert.equal(signed.kid, keyIdOf(ledgerKey.publicKey));
    assert.deepEqual(verifyBlockHeader(signed, ledgerKey.publicKey), { ok: true, hash: blockHeaderHash(genesis) });
    assert.deepEqual(verifyBlockHeader(signed, ledgerKey.publicKey, new NodeCryptoVerifier()), { ok: true, hash: blockHeaderHash(genesis) });
    const wire = JSON.parse(JSON.stringify(signed)) as SignedBlockHeader;
    assert.equal(verifyBlockHeader(wire, ledgerKey.publicKey).ok, true);
  });

  it('refuses to sign an invalid header (INVALID_HEADER)', () => {
    assert.throws(
      () => signBlockHeader({ ...genesis, treeSize: -1 }, ledgerKey.secretKey),
      (e: unknown) => e instanceof LedgerCoreError && e.code === 'INVALID_HEADER' && e.problems[0].path === 'treeSize',
    );
  });

  it('gives each verdict code', () => {
    const signed = signBlockHeader(second, ledgerKey.secretKey);
    const code = (s: unknown, key = ledgerKey.publicKey): string => {
      const v = verifyBlockHeader(s as SignedBlockHeader, key);
      return v.ok ? 'ok' : v.code;
    };
    assert.equal(code(signed), 'ok');
    assert.equal(code(null), 'INVALID_HEADER');
    assert.equal(code({ header: second, sig: signed.sig }), 'INVALID_HEADER');
    assert.equal(code({ ...signed, extra: true }), 'INVALID_HEADER');
    const badHeader = verifyBlockHeader({ ...signed, header: { ...second, rootHash: 'x' } }, ledgerKey.publicKey);
    assert.equal(badHeader.ok, false);
    if (!badHeader.ok) assert.deepEqual(badHeader.problems?.map((p) => p.path), ['header.rootHash']);
    assert.equal(code({ header: second, kid: signed.kid }), 'MALFORMED_SIGNATURE');
    assert.equal(code({ ...signed, sig: signed.sig.slice(0, -2) }), 'MALFORMED_SIGNATURE');
    assert.equal(code(signed, generateKeyPair().publicKey), 'KEY_MISMATCH');
    assert.equal(code({ ...signed, kid: 'ed25519:other' }), 'KEY_MISMATCH');
    assert.equal(code({ ...signed, header: { ...second, lastSeq: 6, treeSize: 6 } }), 'BAD_SIGNATURE');
    // An event signature over the same hash must not pass as a block signature.
    const eventSig = toBase64Url(signMessage(eventSigningMessage(blockHeaderHash(second)), ledgerKey.secretKey));
    assert.equal(code({ ...signed, sig: eventSig }), 'BAD_SIGNATURE');
    const flipped = fromBase64Url(signed.sig);
    flipped[0] ^= 0x80;
    assert.equal(code({ ...signed, sig: toBase64Url(flipped) }), 'BAD_SIGNATURE');
  });
});

describe('verifyHeaderLink', () => {
  it('accepts genesis from nothing and a proper successor', () => {
    assert.equal(linkCode(null, genesis), 'ok');
    assert.equal(linkCode(genesis, second), 'ok');
    const third: BlockHeader = { ...second, height: 3, prevHeaderHash: blockHeaderHash(second), firstSeq: 6, lastSeq: 6, treeSize: 6 };
    assert.equal(linkCode(second, third), 'ok');
  });

  it('lets the genesis block set the sequence base', () => {
    assert.equal(linkCode(null, { ...genesis, firstSeq: 0, lastSeq: 2 }), 'ok');
  });

  it('names what breaks the chain', () => {
    assert.equal(linkCode(null, second), 'BAD_HEIGHT');
    assert.equal(linkCode(null, { ...genesis, treeSize: 4 }), 'BAD_TREE_SIZE');
    assert.equal(linkCode(genesis, genesis), 'BAD_HEIGHT');
    assert.equal(linkCode(genesis, { ...second, height: 3 }), 'BAD_HEIGHT');
    assert.equal(linkCode(genesis, { ...second, prevHeaderHash: 'ab'.repeat(32) }), 'BAD_PREV_HEADER_HASH');
    assert.equal(linkCode({ ...genesis, rootHash: 'ab'.repeat(32) }, second), 'BAD_PREV_HEADER_HASH');
    assert.equal(linkCode(genesis, { ...second, firstSeq: 5, lastSeq: 6, treeSize: 5 }), 'SEQ_GAP');
    assert.equal(linkCode(genesis, { ...second, firstSeq: 3, lastSeq: 4, treeSize: 5 }), 'SEQ_GAP');
    assert.equal(linkCode(genesis, { ...second, treeSize: 6 }), 'BAD_TREE_SIZE');
    assert.equal(linkCode(genesis, { ...second, rootHash: 'nope' }), 'INVALID_HEADER');
    assert.equal(linkCode({ ...genesis, height: 0 }, second), 'INVALID_HEADER');
    assert.equal(linkCode(genesis, null as unknown as BlockHeader), 'INVALID_HEADER');
  });
});
