// A participant's key file: the private key lives here, on the participant's side, never on the server.
import { chmodSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fromBase64Url, generateKeyPair, keyIdOf, publicKeyFromSecret, toBase64Url } from '@pharmatrace/ledger-core';
import type { KeyKind, KeySpec } from '@pharmatrace/participants/participant-events';

export interface KeyFile {
  format: 'pharmatrace-key/v1';
  /** The participant this key signs for (may be filled in once registered). */
  participantId: string | null;
  kid: string;
  publicKey: string;
  secretKey: string;
  label: string;
  kind: KeyKind;
  createdAt: string;
}

export function generateKeyFile(label: string, kind: KeyKind = 'operator', participantId: string | null = null): KeyFile {
  const pair = generateKeyPair();
  return {
    format: 'pharmatrace-key/v1',
    participantId,
    kid: keyIdOf(pair.publicKey),
    publicKey: toBase64Url(pair.publicKey),
    secretKey: toBase64Url(pair.secretKey),
    label,
    kind,
    createdAt: new Date().toISOString(),
  };
}

/** The public half, as a registration or key event carries it. */
export function keySpecOf(key: KeyFile): KeySpec {
  return { kid: key.kid, publicKey: key.publicKey, label: key.label, kind: key.kind };
}

export function writeKeyFile(path: string, key: KeyFile, options: { overwrite?: boolean } = {}): void {
  if (!options.overwrite && existsSync(path)) throw new Error(`Refusing to overwrite the key file ${path}.`);
  writeFileSync(path, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function readKeyFile(path: string): KeyFile {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  if (parsed.format !== 'pharmatrace-key/v1') throw new Error(`${path} is not a PharmaTrace key file.`);
  const secret = fromBase64Url(parsed.secretKey);
  if (toBase64Url(publicKeyFromSecret(secret)) !== parsed.publicKey || keyIdOf(fromBase64Url(parsed.publicKey)) !== parsed.kid) {
    throw new Error(`${path} is inconsistent: its secret key, public key and kid do not match.`);
  }
  return parsed;
}
