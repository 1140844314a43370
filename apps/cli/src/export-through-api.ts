// `cli export --server URL --key REGULATOR_KEY`: the same export folder (docs/ledger-format.md), read
// through a running server's API instead of its database. The regulator's key file signs in (only a
// regulator may read the whole event log: eventLog answers FORBIDDEN_ROLE otherwise); blocks and ledger
// keys are public. Pages of at most 1000 events and 500 blocks are streamed to the files, so memory does
// not grow with the ledger.
import { canonicalJson, sha256Hex } from '@pharmatrace/ledger-core';
import { LedgerClient, PharmaTraceClient, readKeyFile, type BlockView } from '@pharmatrace/sdk';
import { DigestedFile, EXPORT_FORMAT, writeJsonFile } from './export-files';
import { progressBar } from './progress-bar';

const EVENT_PAGE = 1000; // the eventLog maximum
const BLOCK_PAGE = 500; // the blocks maximum

interface LoggedEventView {
  seq: number;
  hash: string;
  event: unknown;
  sig: string;
}

interface PublishedLedger {
  keys: Array<{ kid: string; publicKey: string; createdAt: string }>;
  latestBlock: BlockView | null;
}

/** The newest block at the start, its public ledger keys (with `createdAt`) — from /.well-known/pharmatrace-ledger. */
async function published(server: string): Promise<PublishedLedger> {
  const res = await fetch(`${server}/.well-known/pharmatrace-ledger`);
  if (!res.ok) throw new Error(`${server}/.well-known/pharmatrace-ledger answered HTTP ${res.status}; is ${server} a PharmaTrace server?`);
  return (await res.json()) as PublishedLedger;
}

/**
 * Writes a full export of the ledger behind `server` into `dir` (new or empty), signed in with the regulator
 * key file at `keyPath`; returns the manifest (written last). The head is the newest block when the export
 * starts: blocks sealed later are left out, and events after it are exported as unsealed (§3.4).
 * Throws on an event whose body does not hash to its published hash (the export would not verify).
 */
export async function exportThroughApi(server: string, keyPath: string, dir: string) {
  const base = server.replace(/\/$/, '');
  const client = new PharmaTraceClient(base, readKeyFile(keyPath));
  const ledger = new LedgerClient(base);
  const exportedAt = new Date().toISOString();
  const { keys, latestBlock } = await published(base);
  const headHeight = latestBlock?.header.height ?? 0;

  // Events first: a non-regulator is refused (FORBIDDEN_ROLE) before anything else is read.
  const events = new DigestedFile('events.jsonl', dir);
  const bar = progressBar('export', 'events');
  let lastSeq = 0;
  let count = 0;
  try {
    for (;;) {
      const { eventLog } = await client.query<{ eventLog: LoggedEventView[] }>('query($a: Int!, $f: Int!) { eventLog(afterSeq: $a, first: $f) { seq hash event sig } }', {
        a: lastSeq,
        f: EVENT_PAGE,
      });
      for (const e of eventLog) {
        // The stored body is canonical JSON, so canonicalising the parsed envelope gives its exact bytes back.
        const body = canonicalJson(e.event);
        if (e.seq !== lastSeq + 1 || sha256Hex(new TextEncoder().encode(body)) !== e.hash) {
          throw new Error(`Event ${e.seq} from ${base} does not hash to its published hash (or breaks the sequence); the export stops.`);
        }
        await events.write(`${canonicalJson({ seq: e.seq, hash: e.hash, body, sig: e.sig })}\n`);
        lastSeq = e.seq;
        count++;
      }
      bar.update(count, latestBlock?.header.lastSeq ?? count);
      if (eventLog.length < EVENT_PAGE) break;
    }
  } finally {
    bar.stop();
  }
  const eventsEntry = { ...(await events.close()), count, firstSeq: count > 0 ? 1 : null, lastSeq: count > 0 ? lastSeq : null };

  const blocks = new DigestedFile('blocks.jsonl', dir);
  let height = 0;
  while (height < headHeight) {
    const page = await ledger.blocks(height, BLOCK_PAGE);
    if (page.length === 0) break;
    for (const b of page) {
      if (b.header.height > headHeight) break;
      const h = b.header;
      const header = { firstSeq: h.firstSeq, height: h.height, lastSeq: h.lastSeq, prevHeaderHash: h.prevHeaderHash, rootHash: h.rootHash, sealedAt: h.sealedAt, treeSize: h.treeSize };
      await blocks.write(`${canonicalJson({ header, headerHash: b.headerHash, kid: b.kid, sig: b.sig })}\n`);
      height = h.height;
    }
  }
  const blocksEntry = { ...(await blocks.close()), count: height, firstHeight: height > 0 ? 1 : null, lastHeight: height > 0 ? height : null };
  const ledgerKeys = await writeJsonFile(dir, 'ledger-keys.json', { keys: keys.map((k) => ({ kid: k.kid, publicKey: k.publicKey, createdAt: k.createdAt })) });
  const sealedThrough = latestBlock?.header.lastSeq ?? 0;
  const manifest = {
    format: EXPORT_FORMAT,
    exportedAt,
    fromHeight: 1,
    start: null,
    events: eventsEntry,
    blocks: blocksEntry,
    ledgerKeys,
    latestBlock: latestBlock
      ? { height: latestBlock.header.height, headerHash: latestBlock.headerHash, treeSize: latestBlock.header.treeSize, rootHash: latestBlock.header.rootHash }
      : null,
    unsealedEvents: count > 0 ? lastSeq - sealedThrough : 0,
  };
  // Written last: a folder without manifest.json is an interrupted export, never a short one.
  await writeJsonFile(dir, 'manifest.json', manifest);
  return manifest;
}
