// `cli audit`: replays the whole ledger against the database (one read-only snapshot) or a server's API
// and prints one verdict line; `cli audit --follow` is a witness that remembers the last verified head.
import { parseArgs } from 'node:util';
import { loadConfig } from '@pharmatrace/config';
import { fromBase64Url, isValidPublicKey } from '@pharmatrace/ledger-core';
import { LedgerClient, PharmaTraceClient, readKeyFile } from '@pharmatrace/sdk';
import {
  auditApi,
  auditDatabase,
  AuditOptions,
  AuditProgress,
  AuditReport,
  readWitnessState,
  verdictLine,
  withDatabaseSnapshot,
  witnessLine,
  witnessOnce,
  WitnessSetupError,
  writeWitnessState,
} from '@pharmatrace/audit';
import { UsageError } from '../args';
import { progressBar } from '../progress-bar';
import { databaseSide } from '../load-database-side';
import { requireConfiguredDatabase } from '../database-required';

interface AuditFlags {
  server?: string;
  key?: string;
  'ledger-key'?: string;
  follow?: boolean;
  state?: string;
  once?: boolean;
  interval?: string;
}

function parse(argv: string[]): AuditFlags {
  try {
    return parseArgs({
      args: argv,
      options: {
        server: { type: 'string' },
        key: { type: 'string' },
        'ledger-key': { type: 'string' },
        follow: { type: 'boolean' },
        state: { type: 'string' },
        once: { type: 'boolean' },
        interval: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** The pinned ledger key must be the base64url of a raw Ed25519 public key, as /.well-known/pharmatrace-ledger publishes it. */
function checkLedgerKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  let bytes: Uint8Array | null = null;
  try {
    bytes = fromBase64Url(key);
  } catch {
    bytes = null;
  }
  if (bytes === null || !isValidPublicKey(bytes)) throw new UsageError('--ledger-key must be the base64url text of the ledger\'s Ed25519 public key');
  return key;
}

/**
 * Progress on stderr: a bar on a terminal; otherwise a line at most once a second, so short audits print
 * nothing but their verdict and a long one in a log shows it is alive.
 */
function auditProgress(): { report: (p: AuditProgress) => void; stop(): void } {
  if (process.stderr.isTTY === true) {
    const bar = progressBar('audit', 'events');
    return { report: (p) => bar.update(p.events, p.total ?? p.events), stop: () => bar.stop() };
  }
  let last = Date.now();
  return {
    report(p) {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      const of = p.total ? ` of ${p.total} (${Math.floor((100 * p.events) / p.total)}%)` : '';
      const rate = p.elapsedMs > 0 ? `, ${Math.round((p.events * 1000) / p.elapsedMs)} events/s` : '';
      process.stderr.write(`audit: ${p.events} events${of}, ${p.blocks} blocks verified${rate}\n`);
    },
    stop() {},
  };
}

function finish(report: AuditReport): void {
  if (report.ok && report.unsealed > 0) {
    process.stderr.write(`audit: ${report.unsealed} events after the last block are not sealed yet; they were checked for everything but the tree.\n`);
  }
  console.log(verdictLine(report));
  // main() exits 0 once a command returns; a failed audit must exit 1 with only its verdict printed.
  if (!report.ok) process.exit(1);
}

export async function auditCommand(argv: string[]): Promise<void> {
  const f = parse(argv);
  f['ledger-key'] = checkLedgerKey(f['ledger-key']);
  if (f.follow) return follow(f);
  if (f.state || f.once || f.interval) throw new UsageError('--state, --once and --interval go with --follow');
  const progress = auditProgress();
  const options: AuditOptions = { ledgerKey: f['ledger-key'], onProgress: progress.report };
  if (f.server || f.key) {
    if (!f.server || !f.key) throw new UsageError('an audit through the API needs both --server and --key (a regulator key file)');
    const client = new PharmaTraceClient(f.server, readKeyFile(f.key));
    return finish(await auditApi(client, options).finally(() => progress.stop()));
  }
  // Straight on the database: never migrate (an audit writes nothing), and read one consistent snapshot.
  const config = loadConfig();
  requireConfiguredDatabase(config, 'audit');
  // Nest and TypeORM load only here, so audits through the API and every other command start fast.
  const { startRuntime } = databaseSide();
  const runtime = await startRuntime(config, { migrate: false });
  let report: AuditReport;
  try {
    report = await withDatabaseSnapshot(runtime.dataSource, (db) => auditDatabase(db, options));
  } finally {
    progress.stop();
    await runtime.close();
  }
  finish(report);
}

async function follow(f: AuditFlags): Promise<void> {
  if (!f.server) throw new UsageError('--follow needs --server URL (the witness reads what the server publishes)');
  if (!f.state) throw new UsageError('--follow needs --state FILE (where the witness remembers the last verified head)');
  if (f.key) throw new UsageError('--follow needs no --key: block headers and proofs are public');
  const interval = f.interval === undefined ? 10_000 : /^\d{1,12}$/.test(f.interval) ? Number(f.interval) : NaN;
  if (!Number.isInteger(interval) || interval < 100) throw new UsageError('--interval must be a whole number of milliseconds, at least 100');
  const server = f.server.replace(/\/$/, '');
  const statePath = f.state;
  const ledger = new LedgerClient(server);

  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  while (!stopping) {
    try {
      const previous = readWitnessState(statePath);
      const check = await witnessOnce(ledger, previous, { server, ledgerKey: f['ledger-key'] });
      const kid = check.state?.ledgerKey.kid ?? previous?.ledgerKey.kid ?? '';
      if (check.outcome.kind === 'alarm') {
        console.log(witnessLine(check.outcome, kid));
        process.exit(1);
      }
      if (check.state) writeWitnessState(statePath, check.state);
      // Following, only new heads are worth a line; a single check always says what it found.
      if (f.once || check.outcome.kind === 'first' || check.outcome.kind === 'extended') {
        console.log(witnessLine(check.outcome, kid));
      }
    } catch (e) {
      if (f.once || e instanceof WitnessSetupError) throw e;
      // An unreachable server is not an alarm; the next check tries again.
      process.stderr.write(`witness: check failed, retrying in ${interval} ms: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    if (f.once || stopping) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, interval);
    });
  }
}
