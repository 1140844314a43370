// The database side of `cli export`: one read-only snapshot of the ledger written as plain files
// (byte-level format: docs/ledger-format.md), streamed page by page so a large log never sits in memory.
// Loaded only when an export runs on the database, so the rest of the CLI starts without Nest or TypeORM.
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '@pharmatrace/config';
import { DomainError } from '@pharmatrace/errors';
import { BlockStore, type StoredBlock } from '@pharmatrace/ledger';
import { canonicalJson, foldSubtrees, rootPlan, toHex } from '@pharmatrace/ledger-core';
import { startRuntime } from '@pharmatrace/runtime';
import { DigestedFile, EXPORT_FORMAT, writeJsonFile } from './export-files';

const PAGE = 1000;

interface EventRow {
  seq: string;
  hash: string;
  body: string;
  sig: string;
}

/** Streams events.jsonl from `afterSeq`; returns the count and the last seq written. */
async function writeEvents(m: EntityManager, dir: string, afterSeq: number) {
  const file = new DigestedFile('events.jsonl', dir);
  let last = afterSeq;
  let count = 0;
  for (;;) {
    const rows: EventRow[] = await m.query('SELECT seq, hash, body, sig FROM ledger_events WHERE seq > $1 ORDER BY seq LIMIT $2', [last, PAGE]);
    for (const r of rows) {
      // `body` is stored as the exact canonical text that was hashed and signed; it is copied, never re-encoded.
      await file.write(`${canonicalJson({ seq: Number(r.seq), hash: r.hash, body: r.body, sig: r.sig })}\n`);
      last = Number(r.seq);
      count++;
    }
    if (rows.length < PAGE) break;
  }
  return { ...(await file.close()), count, firstSeq: count > 0 ? afterSeq + 1 : null, lastSeq: count > 0 ? last : null };
}

function blockLine(b: StoredBlock): { header: StoredBlock['header']; headerHash: string; kid: string; sig: string } {
  return { header: b.header, headerHash: b.headerHash, kid: b.kid, sig: b.sig };
}

/** Streams blocks.jsonl from `afterHeight`; returns the count and the newest block written. */
async function writeBlocks(m: EntityManager, dir: string, afterHeight: number) {
  const store = new BlockStore();
  const file = new DigestedFile('blocks.jsonl', dir);
  let last: StoredBlock | null = null;
  let count = 0;
  for (;;) {
    const page = await store.page(m, last?.header.height ?? afterHeight, PAGE);
    for (const b of page) {
      await file.write(`${canonicalJson(blockLine(b))}\n`);
      last = b;
      count++;
    }
    if (page.length < PAGE) break;
  }
  return { ...(await file.close()), count, last };
}

/**
 * The perfect-subtree hashes (left to right) of the tree an incremental export continues, checked
 * against the anchor's signed root before they are written: a verifier folds them into that root.
 */
async function frontierOf(m: EntityManager, anchor: StoredBlock): Promise<string[]> {
  const refs = rootPlan(anchor.header.treeSize);
  const rows: Array<{ level: number; idx: string; hash: Buffer }> = await m.query(
    'SELECT n.level, n.idx, n.hash FROM merkle_nodes n JOIN unnest($1::smallint[], $2::bigint[]) AS r(level, idx) ON n.level = r.level AND n.idx = r.idx',
    [refs.map((r) => r.level), refs.map((r) => r.index)],
  );
  const byRef = new Map(rows.map((r) => [`${r.level}:${Number(r.idx)}`, new Uint8Array(r.hash)]));
  const lookup = (level: number, index: number): Uint8Array => {
    const h = byRef.get(`${level}:${index}`);
    if (!h) throw new Error(`Merkle node (level ${level}, index ${index}) is missing; run the audit before exporting.`);
    return h;
  };
  if (toHex(foldSubtrees(refs, lookup)) !== anchor.header.rootHash) {
    throw new Error(`The stored tree does not fold to the root of block ${anchor.header.height}; run the audit.`);
  }
  return refs.map((r) => toHex(lookup(r.level, r.index)));
}

interface KeyRow {
  participant: string;
  kid: string;
  public_key: string;
  added_seq: string;
  revoked_seq: string | null;
}

/** Participants' keys as they stood after event `asOfSeq`: what a verifier starting there must know. */
async function participantKeysAsOf(m: EntityManager, asOfSeq: number) {
  const rows: KeyRow[] = await m.query(
    `SELECT participant_id AS participant, kid, public_key, added_seq,
            CASE WHEN revoked_seq <= $1 THEN revoked_seq END AS revoked_seq
       FROM participant_keys WHERE added_seq <= $1 ORDER BY added_seq, kid`,
    [asOfSeq],
  );
  return {
    asOfSeq,
    keys: rows.map((r) => ({
      participant: r.participant,
      kid: r.kid,
      publicKey: r.public_key,
      addedSeq: Number(r.added_seq),
      revokedSeq: r.revoked_seq === null ? null : Number(r.revoked_seq),
    })),
  };
}

async function ledgerKeys(m: EntityManager) {
  const rows: Array<{ kid: string; public_key: string; created_at: string }> = await m.query(
    `SELECT kid, public_key, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
       FROM ledger_signing_keys ORDER BY created_at, kid`,
  );
  return { keys: rows.map((r) => ({ kid: r.kid, publicKey: r.public_key, createdAt: r.created_at })) };
}

async function exportSnapshot(m: EntityManager, dir: string, fromHeight: number) {
  const exportedAt = new Date().toISOString();
  const store = new BlockStore();
  let start = null;
  let anchor: StoredBlock | null = null;
  if (fromHeight > 1) {
    anchor = await store.byHeight(m, fromHeight - 1);
    if (!anchor) {
      const latest = await store.latest(m);
      throw new DomainError('NOT_FOUND', `No block at height ${fromHeight - 1}: the ledger has ${latest?.header.height ?? 0} blocks, so --from-height can be at most ${(latest?.header.height ?? 0) + 1}.`);
    }
    const frontier = await frontierOf(m, anchor);
    const participantKeys = await writeJsonFile(dir, 'participant-keys.json', await participantKeysAsOf(m, anchor.header.lastSeq));
    start = { anchor: blockLine(anchor), frontier, participantKeys };
  }
  const afterSeq = anchor?.header.lastSeq ?? 0;
  const events = await writeEvents(m, dir, afterSeq);
  const blocks = await writeBlocks(m, dir, fromHeight - 1);
  const keys = await writeJsonFile(dir, 'ledger-keys.json', await ledgerKeys(m));
  // With nothing sealed after the anchor, the anchor is still the newest block of the ledger.
  const newest = blocks.last ?? anchor;
  const sealedThrough = newest?.header.lastSeq ?? 0;
  const manifest = {
    format: EXPORT_FORMAT,
    exportedAt,
    fromHeight,
    start,
    events: { file: events.file, bytes: events.bytes, sha256: events.sha256, count: events.count, firstSeq: events.firstSeq, lastSeq: events.lastSeq },
    blocks: {
      file: blocks.file,
      bytes: blocks.bytes,
      sha256: blocks.sha256,
      count: blocks.count,
      firstHeight: blocks.count > 0 ? fromHeight : null,
      lastHeight: blocks.last?.header.height ?? null,
    },
    ledgerKeys: keys,
    latestBlock: newest ? { height: newest.header.height, headerHash: newest.headerHash, treeSize: newest.header.treeSize, rootHash: newest.header.rootHash } : null,
    unsealedEvents: events.lastSeq === null ? 0 : events.lastSeq - sealedThrough,
  };
  // Written last: a folder without manifest.json is an interrupted export, never a short one.
  await writeJsonFile(dir, 'manifest.json', manifest);
  return manifest;
}

/** Opens the database (embedded or DATABASE_URL) read-only and exports one snapshot of it. */
export async function exportFromDatabase(dir: string, fromHeight: number, config: AppConfig) {
  // Reading only: never migrate (a real deployment migrates explicitly).
  const runtime = await startRuntime(config, { migrate: false });
  const runner = runtime.dataSource.createQueryRunner();
  let open = false;
  try {
    await runner.connect();
    // One snapshot for every page and file: events, blocks and keys describe the same instant.
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    const manifest = await exportSnapshot(runner.manager, dir, fromHeight);
    await runner.query('COMMIT');
    open = false;
    return manifest;
  } finally {
    if (open) await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
    await runtime.close();
  }
}
