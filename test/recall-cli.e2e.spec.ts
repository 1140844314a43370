// Working a recall with `npm run cli` against a running server, as a regulator, a manufacturer and a holder
// would script it: initiate, amend, show and list, the holder's notifications and acknowledgements, the
// regulator's view of who acknowledged, the close; the server's refusals with their codes and nothing stored;
// the webhook commands; --json that parses and --help everywhere. No fixed sleeps: waits poll with a deadline.
// Each step a script would take runs as its own `npm run cli` process (exit codes, stderr); the checks around
// it call the same command functions in this process (console.log captured), which keeps the suite quick.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks, myRecallNotifications, PharmaTraceClient, RecallDeliveryView, RecallDetailsView, RecallNotificationView, Receipt, receive, ship, verifyPack, WebhookView,
  writeKeyFile,
} from '@pharmatrace/sdk';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork } from './support/test-network';
import { productAndBatch } from './support/custody-fixture';
import { runCli } from './support/run-cli';
import { UsageError } from '../apps/cli/src/args';
import { recallCommand } from '../apps/cli/src/commands/recall.command';
import { webhookCommand } from '../apps/cli/src/commands/webhook.command';

const INSTRUCTIONS = 'Quarantine all stock of this batch and return it to the manufacturer.';
const NEW_INSTRUCTIONS = 'Destroy all stock on site and report the quantities.';
const SUMMARY = 'All reachable stock returned and destroyed.';

/** What `fn` prints with console.log. */
async function printed(fn: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => void lines.push(parts.map(String).join(' '));
  try {
    await fn();
  } finally {
    console.log = original;
  }
  return lines.join('\n');
}

describe('recall CLI', () => {
  let server: TestServer;
  let regulator: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let dir: string;
  let batchA: string;
  let batchB: string;
  let pharmacyPacks: string[];
  let recall: string;
  const keyPath = (c: PharmaTraceClient) => join(dir, `${c.participantId}.json`);
  const access = (who: PharmaTraceClient) => ['--server', server.url, '--key', keyPath(who)];
  /** A real `npm run cli` process. */
  const cli = (who: PharmaTraceClient, args: string[]) => runCli([...args, ...access(who)], server.environment.env);
  const ok = async (who: PharmaTraceClient, args: string[]) => {
    const r = await cli(who, args);
    assert.equal(r.code, 0, `${args.slice(0, 2).join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  /** Refused with `code` (exit 1, `CODE: sentence` on stderr), the event log unchanged. */
  const refused = async (who: PharmaTraceClient, code: string, args: string[]) => {
    const before = await server.eventCount();
    const r = await cli(who, args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^${code}: \\S`), r.stderr);
    assert.equal(await server.eventCount(), before, 'a refusal stores nothing');
    return r.stderr;
  };
  /** The same command in this process: what it prints. */
  const run = (who: PharmaTraceClient, [command, ...args]: string[]) =>
    printed(() => (command === 'webhook' ? webhookCommand : recallCommand)([...args, ...access(who)]));
  const json = async <T>(who: PharmaTraceClient, args: string[]): Promise<T> => JSON.parse(await run(who, [...args, '--json'])) as T;
  /** Refused in this process with `code`, nothing stored; the sentence. */
  const refusedHere = async (who: PharmaTraceClient, code: string, args: string[]): Promise<string> => {
    const before = await server.eventCount();
    const e = await run(who, args).then(
      () => assert.fail(`${args.join(' ')} was not refused`),
      (x: unknown) => x as { code?: string; message: string },
    );
    assert.equal(e.code, code, e.message);
    assert.equal(await server.eventCount(), before, 'a refusal stores nothing');
    return e.message;
  };
  const notificationsOf = async (who: PharmaTraceClient): Promise<RecallNotificationView[]> => (await myRecallNotifications(who)).filter((n) => n.recall === recall);

  before(async () => {
    server = await startTestServer();
    dir = server.environment.env.PHARMATRACE_DATA_DIR;
    const net = await createTestNetwork(server);
    regulator = net.regulator;
    [maker, wholesaler, pharmacy] = await Promise.all([net.join('manufacturer', 'rcli-maker'), net.join('wholesaler', 'rcli-wholesaler'), net.join('pharmacy', 'rcli-pharmacy')]);
    for (const c of [regulator, maker, wholesaler, pharmacy]) writeKeyFile(keyPath(c), c.key);
    ({ batch: batchA } = await productAndBatch(maker, 100));
    ({ batch: batchB } = await productAndBatch(maker, 100));
    const gtinA = parseBatchAssetId(batchA)!.gtin;
    const serials = (await commissionPacks(maker, batchA, 3)).serials;
    pharmacyPacks = serials.slice(0, 2).map((s) => packAssetId(gtinA, s));
    await receive(pharmacy, (await ship(maker, pharmacy.participantId, pharmacyPacks)).shipment);
    await commissionPacks(maker, batchB, 2);
  });
  after(async () => server?.close());

  it('bad usage exits 2 before anything is sent; --help on every subcommand', async () => {
    const before = await server.eventCount();
    const [missing, progressHelp] = await Promise.all([
      cli(regulator, ['recall', 'initiate', '--reason', 'r', '--instructions', 'i', '--batch', batchA]),
      cli(regulator, ['recall', 'progress', '--help']),
    ]);
    assert.equal(missing.code, 2, missing.stderr);
    // Bad usage names the problem, then the usage of that command (not the whole CLI's).
    assert.match(missing.stderr, /^--class is required\nusage: pharmatrace recall …\n[\s\S]*recall initiate[\s\S]*recall acknowledge/);
    assert.doesNotMatch(missing.stderr, /webhook register/);
    assert.equal(progressHelp.code, 0, progressHelp.stderr);
    assert.match(progressHelp.stdout, /^usage: recall progress /, 'recall progress still reaches the tracing report');

    const bad: Array<[string[], RegExp]> = [
      [['initiate', '--class', 'IV', '--reason', 'r', '--instructions', 'i', '--batch', batchA], /--class must be I, II or III/],
      [['initiate', '--class', 'I', '--reason', 'r', '--instructions', 'i'], /give what is recalled: --batch ID or --ingredient-lot ID/],
      [['initiate', '--class', 'I', '--reason', 'r', '--instructions', 'i', '--batch', `${batchA},,${batchB}`], /--batch: entry 2 is empty/],
      [['initiate', '--class', 'I', '--reason', 'r', '--instructions', 'i', '--batch', batchA, '--id', 'R1'], /--id must be a recall id, recall:/],
      [['amend', '--recall', 'recall:some-recall-1'], /give at least one change/],
      [['close', '--recall', 'recall:some-recall-1'], /--summary is required/],
      [['show', '--recall', 'not-a-recall'], /--recall must be a recall id/],
      [['acknowledge', '--recall', 'recall:some-recall-1', '--revision', '0'], /--revision must be a revision number/],
      [['list', '--state', 'pending'], /--state must be open or closed/],
      [['deliveries'], /--recall is required/],
      [['show', '--recall', 'recall:some-recall-1', '--bogus', 'x'], /Unknown option '--bogus'/],
      [['constructor'], /unknown command recall constructor/],
    ];
    for (const [args, message] of bad) await assert.rejects(run(regulator, ['recall', ...args]), (e: unknown) => e instanceof UsageError && message.test(e.message), args.join(' '));
    await assert.rejects(run(regulator, ['webhook', 'register']), (e: unknown) => e instanceof UsageError && /--url is required/.test(e.message));
    await assert.rejects(recallCommand(['show', '--recall', 'recall:some-recall-1', '--server', server.url, '--key', join(dir, 'missing.json')]), /--key .*: no such file/);

    for (const sub of ['initiate', 'amend', 'close', 'acknowledge', 'show', 'list', 'notifications', 'deliveries']) {
      assert.match(await printed(() => recallCommand([sub, '--help'])), new RegExp(`^usage: recall ${sub} --server URL --key FILE[\\s\\S]*Exit codes: 0`), sub);
    }
    for (const sub of ['register', 'show', 'remove']) {
      assert.match(await printed(() => webhookCommand([sub, '-h'])), new RegExp(`^usage: webhook ${sub} --server URL --key FILE[\\s\\S]*Exit codes: 0`), sub);
    }
    assert.match(await printed(() => recallCommand(['--help'])), /^usage:\n[\s\S]*recall initiate[\s\S]*recall deliveries[\s\S]*recall progress/);
    assert.match(await printed(() => webhookCommand(['--help'])), /^usage:\n {2}webhook register/);
    assert.equal(await server.eventCount(), before);
  });

  it('refusals carry the server’s code and sentence, and store nothing: an unknown batch, a wholesaler initiating', async () => {
    const unknown = `batch:${parseBatchAssetId(batchA)!.gtin}/NO-SUCH-LOT`;
    const initiate = ['recall', 'initiate', '--class', 'II', '--reason', 'assay', '--instructions', INSTRUCTIONS, '--batch'];
    const [missing] = await Promise.all([refused(regulator, 'UNKNOWN_BATCH', [...initiate, unknown]), refused(wholesaler, 'FORBIDDEN_ROLE', [...initiate, batchA])]);
    assert.match(missing, /NO-SUCH-LOT/);
  });

  it('the regulator initiates: the packs are recalled and every verdict says RECALLED', async () => {
    const out = await ok(regulator, ['recall', 'initiate', '--class', 'II', '--reason', 'out-of-specification assay result', '--instructions', INSTRUCTIONS, '--notify-patients', '--batch', batchA]);
    const m = /^Recall (recall:\S+) initiated \(class II\): 3 pack\(s\) recalled in 1 batch\(es\)\n {2}event [0-9a-f]{64} \(seq \d+\)/.exec(out);
    assert.ok(m, out);
    recall = m[1];
    const v = await verifyPack(pharmacy, `01${pharmacyPacks[0].slice(6, 20)}21${pharmacyPacks[0].slice(21)}`);
    assert.deepEqual([v.fitToDispense, v.status, v.reasons.map((r) => r.code)], [false, 'recalled', ['RECALLED']]);
  });

  it('amends with new instructions, a new class and a comma-listed batch; shows and lists it', async () => {
    const out = await ok(regulator, ['recall', 'amend', '--recall', recall, '--instructions', NEW_INSTRUCTIONS, '--class', 'I', '--add-batch', `${batchB},`]);
    assert.match(out, /^Recall recall:\S+ amended: revision 2; 2 more pack\(s\) recalled in 1 more batch\(es\); class I; new instructions/);
    const shown = await json<RecallDetailsView>(regulator, ['recall', 'show', '--recall', recall]);
    assert.deepEqual([shown.state, shown.class, shown.revision, shown.instructions, shown.notifyPatients], ['open', 'I', 2, NEW_INSTRUCTIONS, true]);
    assert.deepEqual(shown.batches?.map((b) => [b.batchId, b.addedRevision]), [[batchA, 1], [batchB, 2]]);
    assert.deepEqual(shown.revisions?.map((r) => r.kind), ['initiated', 'amended']);
    const human = await run(maker, ['recall', 'show', '--recall', recall]);
    assert.match(human, new RegExp(`^${recall} — OPEN, class I, revision 2\n`));
    assert.match(human, /instructions {2}Destroy all stock/);
    assert.deepEqual((await json<RecallDetailsView[]>(regulator, ['recall', 'list', '--state', 'open'])).map((r) => r.id), [recall]);
    assert.deepEqual(await json<RecallDetailsView[]>(regulator, ['recall', 'list', '--state', 'closed']), []);
    assert.match(await run(regulator, ['recall', 'list']), new RegExp(`^RECALL +STATE +CLASS +REV +INITIATED +BY +REASON\n${recall} +open +I +2 +\\S+ \\S+ +regulator-1 +out-of-specification`));
  });

  it('the holder reads its notifications and acknowledges the newest, then the older; the regulator sees it in deliveries', async () => {
    // Nobody told the wholesaler: it holds none of the goods.
    assert.match(await refusedHere(wholesaler, 'NOTHING_TO_ACKNOWLEDGE', ['recall', 'acknowledge', '--recall', recall]), /no notification of recall:/);
    await waitFor('the worker to notify the pharmacy of both revisions', async () => (await notificationsOf(pharmacy)).length === 2, 30_000);

    const listed = await ok(pharmacy, ['recall', 'notifications']);
    assert.match(listed, new RegExp(`^${recall} revision 2 \\(amended\\), class I — NOT ACKNOWLEDGED\n {2}you are told as custodian: 2 affected pack\\(s\\)`));
    assert.match(listed, /instructions: Destroy all stock on site and report the quantities\. \(patients supplied must be told\)/);
    assert.match(listed, /2 not acknowledged: recall acknowledge --recall ID/);

    assert.match(await ok(pharmacy, ['recall', 'acknowledge', '--recall', recall]), new RegExp(`^Acknowledged revision 2 of ${recall}\n {2}event [0-9a-f]{64}`));
    const receipt = JSON.parse(await ok(pharmacy, ['recall', 'acknowledge', '--recall', recall, '--json'])) as Receipt;
    assert.deepEqual(receipt.result, { recall, revision: 1, acknowledged: true });
    assert.match(await refused(pharmacy, 'NOTHING_TO_ACKNOWLEDGE', ['recall', 'acknowledge', '--recall', recall]), /acknowledged every revision .* \(the newest: 2\)/);
    await refusedHere(pharmacy, 'ALREADY_ACKNOWLEDGED', ['recall', 'acknowledge', '--recall', recall, '--revision', '2']);
    const mine = await json<RecallNotificationView[]>(pharmacy, ['recall', 'notifications']);
    assert.deepEqual(mine.map((n) => [n.recall, n.revision, n.acknowledgedAt !== null]), [[recall, 2, true], [recall, 1, true]]);

    const deliveries = JSON.parse(await ok(regulator, ['recall', 'deliveries', '--recall', recall, '--json'])) as RecallDeliveryView[];
    const ofPharmacy = deliveries.filter((d) => d.participantId === pharmacy.participantId);
    assert.deepEqual(ofPharmacy.map((d) => [d.revision, d.reasons, d.affectedPacks, d.acknowledgedAt !== null, d.webhookState]).sort(), [
      [1, ['custodian'], 2, true, 'none'],
      [2, ['custodian'], 2, true, 'none'],
    ]);
    assert.ok(deliveries.some((d) => d.participantId === maker.participantId && d.acknowledgedAt === null), 'the manufacturer is told too, and has not acknowledged');
    const table = await run(regulator, ['recall', 'deliveries', '--recall', recall, '--revision', '2']);
    assert.match(table, /^REV +PARTICIPANT +NAME +REASONS +PACKS +NOTIFIED +ACKNOWLEDGED +WEBHOOK\n/);
    assert.match(table, new RegExp(`\n2 +${pharmacy.participantId} +rcli-pharmacy Ltd +custodian +2 +\\S+ \\S+ +\\S+ \\S+ +none\n`));
    assert.match(table, /\n1 of 2 notification\(s\) acknowledged$/);
    // Deliveries are for the regulator and the initiator only.
    await refusedHere(pharmacy, 'UNKNOWN_RECALL', ['recall', 'deliveries', '--recall', recall]);
  });

  it('closes the recall; it is listed as closed and stays recalled', async () => {
    assert.match(await ok(regulator, ['recall', 'close', '--recall', recall, '--summary', SUMMARY]), /^Recall recall:\S+ closed \(revision 3\); recalled goods stay recalled/);
    const closed = await json<RecallDetailsView[]>(regulator, ['recall', 'list', '--state', 'closed']);
    assert.deepEqual(closed.map((r) => [r.id, r.state, r.closeSummary]), [[recall, 'closed', SUMMARY]]);
    assert.match(await run(regulator, ['recall', 'show', '--recall', recall]), /— CLOSED, class I, revision 3\n[\s\S]*closed {8}\S+ \S+: All reachable stock returned and destroyed\./);
    await refusedHere(regulator, 'RECALL_CLOSED', ['recall', 'amend', '--recall', recall, '--instructions', 'too late']);
  });

  it('webhook: a bad URL is refused with WEBHOOK_URL_INVALID; register, show, remove', async () => {
    // A literal public address: on a real deployment (private networks refused) a host name must resolve, and
    // this machine has no DNS; nothing is ever sent to it here.
    const url = 'https://93.184.215.14/pharmatrace/webhook';
    assert.match(await run(wholesaler, ['webhook', 'show']), /^No webhook registered/);
    const [bad, registered] = await Promise.all([
      refused(wholesaler, 'WEBHOOK_URL_INVALID', ['webhook', 'register', '--url', 'ftp://erp.example.com/hook']),
      // A different participant, so that the two cannot race.
      ok(pharmacy, ['webhook', 'register', '--url', url]),
    ]);
    assert.match(bad, /^WEBHOOK_URL_INVALID: \S/);
    assert.equal(await json<WebhookView | null>(wholesaler, ['webhook', 'show']), null, 'a refused URL stores nothing');
    assert.match(registered, /^Webhook registered: https:\/\/93\.184\.215\.14\/pharmatrace\/webhook \(registered /);
    assert.equal((await json<WebhookView | null>(pharmacy, ['webhook', 'show']))?.url, url);
    assert.match(await run(pharmacy, ['webhook', 'remove']), /^Webhook removed/);
    assert.deepEqual([await json<{ removed: boolean }>(pharmacy, ['webhook', 'remove']), await json<WebhookView | null>(pharmacy, ['webhook', 'show'])], [{ removed: false }, null]);
  });
});
