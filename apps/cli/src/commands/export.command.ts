// `cli export`: writes the ledger as plain files that an outside auditor verifies with their own tools
// (byte-level format: docs/ledger-format.md). Everything is read from one read-only snapshot of the
// database and streamed page by page, so a large log never sits in memory and a server appending
// meanwhile cannot make the files disagree with each other.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '@pharmatrace/config';
import { flags, required, UsageError } from '../args';
import { databaseSide } from '../load-database-side';
import { requireConfiguredDatabase } from '../database-required';
import { EXPORT_FILES } from '../export-files';
import { exportThroughApi } from '../export-through-api';

function parseFromHeight(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^[1-9][0-9]{0,14}$/.test(text)) throw new UsageError(`--from-height must be a block height of at least 1, not "${text}"`);
  return Number(text);
}

/** An empty or new folder: files of an older export must never mix with this one's. */
function prepareOutDir(out: string): { dir: string; created: boolean } {
  const dir = resolve(out);
  const existed = existsSync(dir);
  if (existed && readdirSync(dir).length > 0) throw new UsageError(`${dir} is not empty; export into a new or empty folder`);
  mkdirSync(dir, { recursive: true });
  return { dir, created: !existed };
}

export async function exportCommand(argv: string[]): Promise<void> {
  const f = flags(argv, ['out', 'from-height', 'server', 'key']);
  const fromHeight = parseFromHeight(f['from-height']);
  const out = required(f, 'out');
  const server = f.server;
  const key = f.key;
  if (server !== undefined || key !== undefined) {
    if (!server || !key) throw new UsageError('an export through the API needs both --server URL and --key (a regulator key file)');
    if (fromHeight > 1) throw new UsageError('--from-height works on the database only; through the API, export the whole ledger');
  } else {
    // Before anything is created: with no database configured, say what to pass (and leave no ./.data).
    requireConfiguredDatabase(loadConfig(), 'export');
  }
  const { dir, created } = prepareOutDir(out);
  let manifest;
  try {
    manifest = server && key ? await exportThroughApi(server, key, dir) : await databaseSide().exportFromDatabase(dir, fromHeight, loadConfig());
  } catch (e) {
    // No half export is left behind to be mistaken for one, and the folder can be used again.
    for (const name of EXPORT_FILES) rmSync(join(dir, name), { force: true });
    if (created) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const head = manifest.latestBlock;
  console.log(
    `Exported ${manifest.events.count} events (seq ${manifest.events.firstSeq ?? '-'}..${manifest.events.lastSeq ?? '-'}, ${manifest.unsealedEvents} not yet sealed) ` +
      `and ${manifest.blocks.count} blocks (${head ? `height ${head.height}, root ${head.rootHash}` : 'none'}) to ${dir}.`,
  );
}
