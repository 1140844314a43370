// The ledger's own sealing key: the only private key the server holds. Created on first start in the
// data folder (or at LEDGER_KEY_PATH), readable only by its owner; its public half is published.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSource } from 'typeorm';
import { fromBase64Url, generateKeyPair, keyIdOf, publicKeyFromSecret, toBase64Url } from '@pharmatrace/ledger-core';

export interface LedgerKey {
  kid: string;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

interface LedgerKeyFile {
  format: 'pharmatrace-ledger-key/v1';
  kid: string;
  publicKey: string;
  secretKey: string;
  createdAt: string;
}

function parse(path: string): LedgerKey {
  const file = JSON.parse(readFileSync(path, 'utf8')) as LedgerKeyFile;
  if (file.format !== 'pharmatrace-ledger-key/v1') throw new Error(`${path} is not a PharmaTrace ledger key file.`);
  const secretKey = fromBase64Url(file.secretKey);
  const publicKey = publicKeyFromSecret(secretKey);
  if (toBase64Url(publicKey) !== file.publicKey || keyIdOf(publicKey) !== file.kid) {
    throw new Error(`The ledger key file ${path} is inconsistent: its secret key, public key and kid do not match.`);
  }
  return { kid: file.kid, publicKey, secretKey };
}

/** Loads the ledger key, creating it on first start. Safe when several processes start at once. */
export function loadOrCreateLedgerKey(path: string): LedgerKey {
  if (existsSync(path)) return parse(path);
  mkdirSync(dirname(path), { recursive: true });
  const pair = generateKeyPair();
  const file: LedgerKeyFile = {
    format: 'pharmatrace-ledger-key/v1',
    kid: keyIdOf(pair.publicKey),
    publicKey: toBase64Url(pair.publicKey),
    secretKey: toBase64Url(pair.secretKey),
    createdAt: new Date().toISOString(),
  };
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600); // exclusive: if another process won the race, use its key
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return parse(path);
    throw e;
  }
  try {
    writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  return parse(path);
}

/** Publishes the key's public half (ledger_signing_keys), so that anyone can verify what it signs. Idempotent. */
export async function publishLedgerKey(dataSource: DataSource, key: LedgerKey): Promise<void> {
  await dataSource.query('INSERT INTO ledger_signing_keys (kid, public_key) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING', [
    key.kid,
    Buffer.from(key.publicKey).toString('base64url'),
  ]);
}

/**
 * The ledger key for a worker component that signs with it (quarantines, webhooks), published at once so that
 * what it signs verifies even before the sealer has sealed a block.
 */
export async function loadPublishedLedgerKey(dataSource: DataSource, path: string): Promise<LedgerKey> {
  const key = loadOrCreateLedgerKey(path);
  await publishLedgerKey(dataSource, key);
  return key;
}
