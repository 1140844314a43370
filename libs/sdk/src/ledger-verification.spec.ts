// The SDK's proof checks against the RFC 6962 Merkle vectors (transparency-dev/merkle), run through the
// SDK's own functions: they must accept exactly what ledger-core's verifiers accept, no more.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConsistencyCase, InclusionCase, jsonFiles, loadVector, vectorsDir } from '../../../test/vectors/merkle-vectors';
import {
  BlockHeader,
  blockHeaderHash,
  EventEnvelope,
  eventHash,
  fromBase64,
  fromHex,
  generateKeyPair,
  leafHash,
  MemoryMerkleStore,
  signBlockHeader,
  toBase64Url,
  toHex,
  validateBlockHeader,
  verifyConsistency,
  verifyInclusion,
} from '@pharmatrace/ledger-core';
import {
  BlockView,
  ProvenEventView,
  verifyBlockConsistency,
  verifyConsistencyProof,
  verifyEventInclusion,
  verifyInclusionProof,
} from './ledger-verification';

const dir = vectorsDir();
const load = loadVector;
/** Vector hashes are base64; the SDK speaks the server's hex. The bytes are the same. */
const hex = (b64: string): string => toHex(fromBase64(b64));
const proofHex = (proof: string[] | null): string[] => (proof ?? []).map(hex);
const proofBytes = (proof: string[] | null): Uint8Array[] => (proof ?? []).map(fromBase64);
const inclusionFiles = jsonFiles(join(dir, 'inclusion'));
const consistencyFiles = jsonFiles(join(dir, 'consistency'));

const ledgerKey = generateKeyPair();
const ledgerPublicKey = toBase64Url(ledgerKey.publicKey);
const SEALED_AT = '2024-05-01T12:00:00.000Z';

function sign(header: BlockHeader): BlockView {
  const signed = signBlockHeader(header, ledgerKey.secretKey);
  return { header, headerHash: blockHeaderHash(header), kid: signed.kid, sig: signed.sig };
}

/** A block signed by the test ledger key sealing `events` events, or null when a header cannot carry these values. */
function signedBlock(height: number, treeSize: number, rootHash: string, events = 1): BlockView | null {
  const header: BlockHeader = {
    height,
    prevHeaderHash: height === 1 ? null : 'ab'.repeat(32),
    treeSize,
    rootHash,
    firstSeq: height,
    lastSeq: height + events - 1,
    sealedAt: SEALED_AT,
  };
  return validateBlockHeader(header).ok ? sign(header) : null;
}

describe('SDK proof checks on the RFC 6962 vectors', () => {
  it('the vectors are in the repository (the suite must not pass vacuously)', () => {
    assert.ok(existsSync(dir), `vector folder ${dir} is missing`);
    assert.ok(inclusionFiles.length >= 90, `expected at least 90 inclusion cases in ${dir}, found ${inclusionFiles.length}`);
    assert.ok(consistencyFiles.length >= 90, `expected at least 90 consistency cases in ${dir}, found ${consistencyFiles.length}`);
    const valid = [...inclusionFiles, ...consistencyFiles].filter((f) => !load<{ wantErr: boolean }>(f).wantErr);
    assert.ok(valid.length >= 10, `expected at least 10 valid cases, found ${valid.length}`);
  });

  it('verifyInclusionProof accepts exactly the cases with wantErr: false, as the core does', () => {
    for (const file of inclusionFiles) {
      const c = load<InclusionCase>(file);
      const got = verifyInclusionProof(hex(c.leafHash), c.leafIdx, c.treeSize, proofHex(c.proof), hex(c.root));
      assert.equal(got, !c.wantErr, `${relative(dir, file)}: ${c.desc}`);
      const core = verifyInclusion(fromBase64(c.leafHash), c.leafIdx, c.treeSize, proofBytes(c.proof), fromBase64(c.root));
      assert.equal(got, core, `${relative(dir, file)}: the SDK and the core disagree`);
    }
  });

  it('verifyConsistencyProof accepts exactly the cases with wantErr: false, as the core does', () => {
    for (const file of consistencyFiles) {
      const c = load<ConsistencyCase>(file);
      const got = verifyConsistencyProof(c.size1, c.size2, proofHex(c.proof), hex(c.root1), hex(c.root2));
      assert.equal(got, !c.wantErr, `${relative(dir, file)}: ${c.desc}`);
      const core = verifyConsistency(c.size1, c.size2, proofBytes(c.proof), fromBase64(c.root1), fromBase64(c.root2));
      assert.equal(got, core, `${relative(dir, file)}: the SDK and the core disagree`);
    }
  });

  it('verifyBlockConsistency on signed heads accepts exactly the cases with wantErr: false', () => {
    let valid = 0;
    let invalid = 0;
    let skipped = 0;
    for (const file of consistencyFiles) {
      const c = load<ConsistencyCase>(file);
      const older = signedBlock(1, c.size1, hex(c.root1));
      const newer = signedBlock(2, c.size2, hex(c.root2));
      if (older === null || newer === null) {
        // Sizes of 0 or roots that are not 32 bytes: no signed header can carry them, so no pair of
        // blocks can ever present them; verifyConsistencyProof above covers these cases.
        const representable = c.size1 > 0 && c.size2 > 0 && hex(c.root1).length === 64 && hex(c.root2).length === 64;
        assert.ok(!representable, `${relative(dir, file)}: a header should carry these values`);
        skipped++;
        continue;
      }
      const verdict = verifyBlockConsistency(older, newer, { fromSize: c.size1, toSize: c.size2, hashes: proofHex(c.proof) }, ledgerPublicKey);
      assert.equal(verdict.ok, !c.wantErr, `${relative(dir, file)}: ${c.desc}: ${JSON.stringify(verdict)}`);
      if (c.wantErr) invalid++;
      else valid++;
    }
    assert.ok(valid >= 5, `expected at least 5 valid cases on signed heads, ran ${valid}`);
    assert.ok(invalid >= 60, `expected at least 60 invalid cases on signed heads, ran ${invalid} (${skipped} not representable)`);
    console.log(`signed heads: ${valid} valid and ${invalid} invalid vectors run, ${skipped} not representable as headers`);
  });

  it('refuses a 1 → 1 consistency proof carrying junk hashes (RFC 9162: equal sizes take an empty proof)', () => {
    const root = toHex(leafHash(fromHex('00')));
    const junk = ['11'.repeat(32), '22'.repeat(32)];
    assert.equal(verifyConsistencyProof(1, 1, [], root, root), true, 'the empty proof between equal trees is accepted');
    assert.equal(verifyConsistencyProof(1, 1, junk, root, root), false);
    assert.equal(verifyConsistencyProof(1, 1, junk.slice(0, 1), root, root), false);
    assert.equal(verifyConsistency(1, 1, junk.map(fromHex), fromHex(root), fromHex(root)), false, 'as the core refuses it');

    const older = signedBlock(1, 1, root) as BlockView;
    const same = signedBlock(2, 1, root) as BlockView;
    assert.deepEqual(verifyBlockConsistency(older, same, { fromSize: 1, toSize: 1, hashes: [] }, ledgerPublicKey), { ok: true });
    const withJunk = verifyBlockConsistency(older, same, { fromSize: 1, toSize: 1, hashes: junk }, ledgerPublicKey);
    assert.equal(withJunk.ok, false);
    const oneJunk = verifyBlockConsistency(older, same, { fromSize: 1, toSize: 1, hashes: junk.slice(0, 1) }, ledgerPublicKey);
    assert.equal(oneJunk.ok, false);
    const otherRoot = signedBlock(2, 1, 'cd'.repeat(32)) as BlockView;
    assert.equal(verifyBlockConsistency(older, otherRoot, { fromSize: 1, toSize: 1, hashes: [] }, ledgerPublicKey).ok, false);
  });

  it('malformed hex from a server is refused, not thrown', () => {
    const root = 'ab'.repeat(32);
    assert.equal(verifyConsistencyProof(1, 2, ['zz'], root, root), false);
    assert.equal(verifyConsistencyProof(1, 2, null as unknown as string[], root, root), false);
    assert.equal(verifyInclusionProof('abc', 0, 1, [], root), false);
    assert.equal(verifyInclusionProof(root, 0, 1, [], 'not hex'), false);
    const older = signedBlock(1, 1, root) as BlockView;
    const newer = signedBlock(2, 2, 'cd'.repeat(32)) as BlockView;
    assert.equal(verifyBlockConsistency(older, newer, { fromSize: 1, toSize: 2, hashes: ['xy'.repeat(32)] }, ledgerPublicKey).ok, false);
  });
});

describe('verifyEventInclusion', () => {
  const SIZE = 7;
  const events: EventEnvelope[] = Array.from({ length: SIZE }, (_, i) => ({
    type: 'test.event',
    id: `event-${i + 1}`,
    actor: 'tester',
    kid: 'ed25519:00000000000000000000000000000000',
    at: '2024-05-01T12:00:00Z',
    assets: [],
    data: { v: 1, n: i },
  }));
  const hashes = events.map(eventHash);
  const store = new MemoryMerkleStore();
  for (const h of hashes) store.append(leafHash(fromHex(h)));
  const block = signedBlock(1, SIZE, toHex(store.root()), SIZE) as BlockView;

  const proven = (i: number, proof: string[]): ProvenEventView => ({
    seq: i + 1,
    hash: hashes[i],
    event: events[i],
    inclusion: { leafIndex: i, treeSize: SIZE, hashes: proof },
    block,
  });

  it('accepts every real proof and refuses every altered one, deciding as the core does', () => {
    for (let i = 0; i < SIZE; i++) {
      const proof = store.inclusionProof(i, SIZE).map(toHex);
      assert.deepEqual(verifyEventInclusion(proven(i, proof), block, ledgerPublicKey), { ok: true }, `leaf ${i}`);
      const altered: string[][] = [
        proof.slice(0, -1),
        [...proof, proof[0] ?? '00'.repeat(32)],
        ...proof.map((_, k) => proof.map((h, j) => (j === k ? (h[0] === '0' ? '1' : '0') + h.slice(1) : h))),
        proof.length > 1 ? [...proof].reverse() : ['00'.repeat(32)],
      ];
      for (const bad of altered) {
        assert.equal(verifyEventInclusion(proven(i, bad), block, ledgerPublicKey).ok, false, `leaf ${i}, proof ${bad.join(',')}`);
        const core = verifyInclusion(leafHash(fromHex(hashes[i])), i, SIZE, bad.map(fromHex), store.root());
        assert.equal(core, false, 'the core refuses it too');
      }
    }
  });

  it('refuses a malformed proof hash without throwing', () => {
    const proof = store.inclusionProof(2, SIZE).map(toHex);
    proof[0] = 'zz'.repeat(32);
    assert.equal(verifyEventInclusion(proven(2, proof), block, ledgerPublicKey).ok, false);
  });
});
