// Signature verification and Merkle appends, each beside its raw baseline from the same run.
import { CompactMerkleTree, eventSigningMessage, generateKeyPair, leafHash, nobleVerifier, sha256, signMessage } from '@pharmatrace/ledger-core';
import { NodeCryptoVerifier } from '@pharmatrace/ledger-core/node-crypto-verifier';
import { createPublicKey, verify } from 'node:crypto';
import { opsPerSecond, report } from './measure';

export async function cryptoBench(): Promise<void> {
  const n = 400;
  const keys = Array.from({ length: 20 }, () => generateKeyPair());
  const messages = Array.from({ length: n }, (_, i) => eventSigningMessage(Buffer.from(sha256(new Uint8Array([i, i >> 8]))).toString('hex')));
  const sigs = messages.map((m, i) => signMessage(m, keys[i % keys.length].secretKey));
  const pub = (i: number) => keys[i % keys.length].publicKey;

  const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
  const uncached = await opsPerSecond(n, (i) => verify(null, messages[i], createPublicKey({ key: Buffer.concat([spkiPrefix, pub(i)]), format: 'der', type: 'spki' }), sigs[i]));
  const nodeVerifier = new NodeCryptoVerifier();
  const cached = await opsPerSecond(n, (i) => nodeVerifier.verify(sigs[i], messages[i], pub(i)));
  const noble = await opsPerSecond(n / 4, (i) => nobleVerifier.verify(sigs[i], messages[i], pub(i)));
  report('Ed25519 verify, node:crypto with cached keys', cached, 'node:crypto, key object built per call', uncached, 'verifies/s');
  report('Ed25519 verify, node:crypto with cached keys', cached, '@noble/curves (browser path)', noble, 'verifies/s');

  const leaves = 100_000;
  const data = Array.from({ length: leaves }, (_, i) => sha256(new Uint8Array([i & 255, (i >> 8) & 255, i >> 16])));
  const tree = CompactMerkleTree.empty();
  const appendRate = await opsPerSecond(leaves, (i) => tree.append(leafHash(data[i])));
  // An RFC 6962 append needs one leaf hash plus on average one node hash: two SHA-256 per leaf.
  const hashRate = await opsPerSecond(leaves, (i) => sha256(sha256(data[i])));
  report('Merkle append (compact frontier)', appendRate, 'two raw SHA-256 per leaf', hashRate, 'leaves/s');
}
