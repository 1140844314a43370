// Forger's tools for `cli export` folders (docs/ledger-format.md): copy an export, alter its files, and bring the
// manifest back in line with them. The manifest is not signed (§3.4), so a forger would do the same, and only the
// hashes, signatures and chain rules that an auditor recomputes may catch the alteration.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, eventHash, eventSigningMessage, fromBase64Url, signMessage, toBase64Url, type AssetRef, type EventData, type SignedEvent } from '@pharmatrace/ledger-core';
import type { ExportVerdict } from './independent-verifier';

/** One parsed line of events.jsonl (§3.1: body, hash, seq, sig) or blocks.jsonl (§3.2: header, headerHash, kid, sig). */
export type ExportLine = Record<string, unknown> & { header?: Record<string, unknown> };
/** ledger-keys.json (§3.3). */
export interface LedgerKeysFile {
  keys: Array<{ kid: string; publicKey: string; createdAt: string }>;
}
interface ManifestFile {
  file: string;
  bytes: number;
  sha256: string;
}
/** manifest.json (§3.4). */
export interface ExportManifest {
  format: string;
  fromHeight: number;
  events: ManifestFile & { count: number; firstSeq: number | null; lastSeq: number | null };
  blocks: ManifestFile & { count: number; firstHeight: number | null; lastHeight: number | null };
  ledgerKeys: ManifestFile;
  latestBlock: { height: number; headerHash: string; treeSize: number; rootHash: string } | null;
  unsealedEvents: number;
}
/** What to alter; each file is rewritten only if its edit is given. `manifest` runs last, after the digests and counts are updated. */
export interface ExportEdits {
  events?: (lines: ExportLine[]) => void;
  blocks?: (lines: ExportLine[]) => void;
  ledgerKeys?: (file: LedgerKeysFile) => void;
  manifest?: (manifest: ExportManifest) => void;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
export const readExportLines = (dir: string, file: 'events.jsonl' | 'blocks.jsonl'): ExportLine[] =>
  readFileSync(join(dir, file), 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as ExportLine);
const seqOf = (line: ExportLine | undefined): number | null => (typeof line?.seq === 'number' ? line.seq : null);
const heightOf = (line: ExportLine | undefined): number | null => (typeof line?.header?.height === 'number' ? line.header.height : null);

/**
 * A new folder under `parent` holding a copy of the export at `source` with `edits` applied. Every rewritten file
 * gets its `bytes` and `sha256` updated in the manifest, and the counts a forger would keep consistent follow the
 * files: `events.count/firstSeq/lastSeq` and `unsealedEvents` (against the manifest's `latestBlock`), and
 * `blocks.count/firstHeight/lastHeight`. `latestBlock` itself is left as exported unless `edits.manifest` changes it.
 */
export function tamperedExport(source: string, parent: string, edits: ExportEdits): string {
  const dir = mkdtempSync(join(parent, 'tampered-'));
  cpSync(source, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ExportManifest;
  const rewrite = (entry: ManifestFile, text: string) => {
    writeFileSync(join(dir, entry.file), text);
    Object.assign(entry, { bytes: Buffer.byteLength(text), sha256: sha256Hex(text) });
  };
  const jsonl = (lines: ExportLine[]) => lines.map((l) => `${canonicalJson(l)}\n`).join('');
  if (edits.events) {
    const lines = readExportLines(dir, 'events.jsonl');
    edits.events(lines);
    rewrite(manifest.events, jsonl(lines));
    const [firstSeq, lastSeq] = [seqOf(lines[0]), seqOf(lines[lines.length - 1])];
    Object.assign(manifest.events, { count: lines.length, firstSeq, lastSeq });
    manifest.unsealedEvents = lastSeq === null ? 0 : lastSeq - (manifest.latestBlock?.treeSize ?? 0);
  }
  if (edits.blocks) {
    const lines = readExportLines(dir, 'blocks.jsonl');
    edits.blocks(lines);
    rewrite(manifest.blocks, jsonl(lines));
    Object.assign(manifest.blocks, { count: lines.length, firstHeight: heightOf(lines[0]), lastHeight: heightOf(lines[lines.length - 1]) });
  }
  if (edits.ledgerKeys) {
    const keys = JSON.parse(readFileSync(join(dir, manifest.ledgerKeys.file), 'utf8')) as LedgerKeysFile;
    edits.ledgerKeys(keys);
    rewrite(manifest.ledgerKeys, `${JSON.stringify(keys, null, 2)}\n`);
  }
  edits.manifest?.(manifest);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

/** Fails unless the verifier refused the export with `code` (and, if given, a message matching `message`). */
export function assertRefused(verdict: ExportVerdict, code: string, message?: RegExp): void {
  assert.equal(verdict.ok, false, `the altered export must be refused with ${code}`);
  if (verdict.ok) return;
  assert.equal(verdict.code, code, verdict.message);
  if (message) assert.match(verdict.message, message);
}

/** A signing key as its holder has it: the kid it is published under and its base64url secret. */
export interface SigningKey {
  kid: string;
  secretKey: string;
}

/**
 * An event signed over its hash with `signer`'s secret key (§4.2), naming `kid` (default: the signer's own). Unlike
 * the SDK's signEvent, the named kid need not be the signer's: a forger may name a key it does not hold.
 */
export function forgeEvent(signer: SigningKey, draft: { actor: string; type: string; assets: AssetRef[]; data: EventData; kid?: string }): SignedEvent {
  const event = { type: draft.type, id: randomUUID(), actor: draft.actor, kid: draft.kid ?? signer.kid, at: new Date().toISOString(), assets: draft.assets, data: draft.data };
  return { event, sig: toBase64Url(signMessage(eventSigningMessage(eventHash(event)), fromBase64Url(signer.secretKey))) };
}

/** Appends `signed` as the next events.jsonl line (§3.1: body is its canonical JSON, hash its SHA-256); returns the hash. */
export function appendEvent(lines: ExportLine[], signed: SignedEvent): string {
  const body = canonicalJson(signed.event);
  const hash = sha256Hex(body);
  lines.push({ seq: (seqOf(lines[lines.length - 1]) ?? 0) + 1, hash, body, sig: signed.sig });
  return hash;
}

/** The envelope of an events.jsonl line (§3.1). */
export const envelopeOf = (line: ExportLine): { type: string; actor: string; kid: string; assets: AssetRef[]; data: EventData } =>
  JSON.parse(line.body as string) as { type: string; actor: string; kid: string; assets: AssetRef[]; data: EventData };

/**
 * Each item's head after `lines` (§7): the hash of the last event listing it, or of the `custody.commissioned`
 * event that created it (§7.1: packs `sgtin:<GTIN-14>.<serial>` for the serials of batch `batch:<GTIN-14>/<lot>`).
 * Lets a forged event cite the right `prev`, so that only the alteration under test breaks a rule.
 */
export function itemHeads(lines: ExportLine[]): Map<string, string> {
  const heads = new Map<string, string>();
  for (const line of lines) {
    const event = envelopeOf(line);
    for (const asset of event.assets) heads.set(asset.id, line.hash as string);
    const gtin = event.type === 'custody.commissioned' ? /^batch:(\d{14})\//.exec(String(event.data.batch))?.[1] : undefined;
    if (gtin) for (const serial of event.data.serials as string[]) heads.set(`sgtin:${gtin}.${serial}`, line.hash as string);
  }
  return heads;
}
