// Working a recall from the command line, through the SDK: a regulator (or a manufacturer, for its own
// batches) initiates, amends and closes it and follows who was told; a holder reads its notifications and
// acknowledges them. `recall progress` lives with the tracing reports (trace.command.ts).
// Human output by default, JSON with --json. Exit codes: 0 done, 1 refused (the code on stderr), 2 bad usage.
import {
  acknowledgeRecall, amendRecall, closeRecall, getRecall, initiateRecall, listRecalls, myRecallNotifications, PharmaTraceClient, Receipt, RecallClass,
  RecallDeliveryView, recallDeliveries, RecallDetailsView, RecallNotificationView,
} from '@pharmatrace/sdk';
import { RECALL_CLASSES, RECALL_ID_PATTERN } from '@pharmatrace/recalls/recall-events';
import { Flags, required, UsageError } from '../args';
import { CliRefusal, clientOf, Options, OptionSpec, parseOptions, table } from '../command-options';

const ACCESS = '--server URL --key FILE';

export const RECALL_USAGE = `  recall initiate ${ACCESS} --class I|II|III --reason TEXT --instructions TEXT [--notify-patients]
                  (--batch ID … | --ingredient-lot ID …) [--id recall:ID] [--json]
              regulators, or a manufacturer for its own batches; each list flag repeats or takes a,b
  recall amend ${ACCESS} --recall ID [--add-batch ID …] [--add-ingredient-lot ID …] [--instructions TEXT]
               [--class I|II|III] [--json]
  recall close ${ACCESS} --recall ID --summary TEXT [--json]
  recall acknowledge ${ACCESS} --recall ID [--revision N] [--json]
  recall show ${ACCESS} --recall ID [--json]
  recall list ${ACCESS} [--state open|closed] [--json]
  recall notifications ${ACCESS} [--json]
  recall deliveries ${ACCESS} --recall ID [--revision N] [--json]`;

const EXIT = 'Exit codes: 0 done, 1 refused (the server’s code and sentence on stderr), 2 bad usage.';

const HELP: Record<string, string> = {
  initiate: `usage: recall initiate ${ACCESS} --class I|II|III --reason TEXT --instructions TEXT [--notify-patients]
                       (--batch ID … | --ingredient-lot ID …) [--id recall:ID] [--json]

Recalls batches (batch:<GTIN-14>/<lot>) and ingredient lots (ingredient-lot:<supplier>/<lot>, regulators only;
every batch that consumed one is recalled too). Every pack still in the chain becomes recalled at once; the
worker then notifies each holder. Prints the recall id and the packs recalled.

  --class             I, II or III (FDA 21 CFR 7.3(m); I the most serious)
  --reason            why, e.g. "out-of-specification assay result"
  --instructions      what holders must do; shown at the counter and on the patient page
  --notify-patients   pharmacies that supplied packs must reach their patients
  --batch, --ingredient-lot   repeat the flag or give a comma list (at least one of the two)
  --id                recall:<id> of your own (8-80 letters, digits, . _ : -); default a new one
${EXIT} E.g. FORBIDDEN_ROLE, UNKNOWN_BATCH, NOT_PRODUCT_OWNER.`,
  amend: `usage: recall amend ${ACCESS} --recall ID [--add-batch ID …] [--add-ingredient-lot ID …] [--instructions TEXT] [--class I|II|III] [--json]

A new revision of an open recall: more batches or ingredient lots, new instructions, a new class. Everyone told
before is told again. Give at least one change.
${EXIT} E.g. RECALL_CLOSED, UNKNOWN_RECALL.`,
  close: `usage: recall close ${ACCESS} --recall ID --summary TEXT [--json]

Closes a recall with a summary (e.g. "all reachable stock returned and destroyed"); recalled goods stay recalled.
${EXIT}`,
  acknowledge: `usage: recall acknowledge ${ACCESS} --recall ID [--revision N] [--json]

Acknowledges a revision of a recall you were notified of. Without --revision: the newest revision you were
notified of and have not acknowledged (recall notifications lists them).
${EXIT} E.g. NOTHING_TO_ACKNOWLEDGE, NOT_NOTIFIED, ALREADY_ACKNOWLEDGED.`,
  show: `usage: recall show ${ACCESS} --recall ID [--json]

A recall with its batches, ingredient lots and revisions: for regulators, its initiator, the manufacturers of its
batches and participants notified of it.
${EXIT} UNKNOWN_RECALL for one you may not see.`,
  list: `usage: recall list ${ACCESS} [--state open|closed] [--json]

The recalls you may see, oldest first (regulators: all; a manufacturer: those it initiated or that cover its
batches; others: those it was notified of). --json: one JSON array.
${EXIT}`,
  notifications: `usage: recall notifications ${ACCESS} [--json]

The recall revisions you were told of, newest first: why (custodian, in_transit_recipient, supplier,
manufacturer, previously_notified), how many of your packs, the instructions, your acknowledgement and your
webhook's delivery. --json: one JSON array.
${EXIT}`,
  deliveries: `usage: recall deliveries ${ACCESS} --recall ID [--revision N] [--json]

Everyone told of a recall, per revision: reasons, packs, acknowledgement, webhook delivery (state, attempts, last
status or error). Regulators and the recall's initiator. --json: one JSON array.
${EXIT} UNKNOWN_RECALL for anyone else.`,
};

const SPECS: Record<string, OptionSpec> = {
  initiate: { strings: ['class', 'reason', 'instructions', 'id'], lists: ['batch', 'ingredient-lot'], switches: ['notify-patients'] },
  amend: { strings: ['recall', 'instructions', 'class'], lists: ['add-batch', 'add-ingredient-lot'] },
  close: { strings: ['recall', 'summary'] },
  acknowledge: { strings: ['recall', 'revision'] },
  show: { strings: ['recall'] },
  list: { strings: ['state'] },
  notifications: {},
  deliveries: { strings: ['recall', 'revision'] },
};

const PAGE = 100;

function recallIdOf(f: Flags, name = 'recall'): string {
  const id = required(f, name);
  if (!RECALL_ID_PATTERN.test(id)) throw new UsageError(`--${name} must be a recall id, recall:<8-80 letters, digits, . _ : -> (as recall initiate or recall list prints it), not "${id}"`);
  return id;
}

function classOf(text: string): RecallClass {
  const klass = RECALL_CLASSES.find((c) => c === text);
  if (!klass) throw new UsageError(`--class must be I, II or III, not "${text}"`);
  return klass;
}

function revisionOf(f: Flags): number | undefined {
  const text = f.revision;
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new UsageError(`--revision must be a revision number (1 = the initiation, then one per amendment), not "${text}"`);
  return Number(text);
}

/** Every page of an id-paged list. */
async function allPages<T extends { id: string }>(page: (after: string | undefined) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let after: string | undefined; ;) {
    const rows = await page(after);
    out.push(...rows);
    if (rows.length < PAGE) return out;
    after = rows[rows.length - 1].id;
  }
}

const eventLine = (r: Receipt): string => `  event ${r.hash} (seq ${r.seq})${r.duplicate ? ', already recorded' : ''}`;
const count = (n: unknown): string => (typeof n === 'number' ? String(n) : '?');
const when = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

async function initiate(o: Options): Promise<void> {
  const { f } = o;
  const klass = classOf(required(f, 'class'));
  const reason = required(f, 'reason');
  const instructions = required(f, 'instructions');
  const batches = o.lists.batch;
  const ingredientLots = o.lists['ingredient-lot'];
  if (batches.length + ingredientLots.length === 0) throw new UsageError('give what is recalled: --batch ID or --ingredient-lot ID (repeat the flag or give a comma list)');
  const recall = f.id === undefined ? undefined : recallIdOf(f, 'id');
  const { receipt, recall: id } = await initiateRecall(clientOf(f), { recall, class: klass, reason, instructions, notifyPatients: o.switches.has('notify-patients'), batches, ingredientLots });
  if (o.json) return void console.log(JSON.stringify({ recall: id, receipt }));
  console.log(
    `Recall ${id} initiated (class ${klass}): ${count(receipt.result.packsRecalled)} pack(s) recalled in ${count(receipt.result.batches)} batch(es)\n${eventLine(receipt)}\n` +
      `  the worker notifies every holder; follow with recall deliveries --recall ${id} or recall progress --recall ${id}`,
  );
}

async function amend(o: Options): Promise<void> {
  const { f } = o;
  const recall = recallIdOf(f);
  const addBatches = o.lists['add-batch'];
  const addIngredientLots = o.lists['add-ingredient-lot'];
  if (f.instructions === '') throw new UsageError('--instructions needs the new instructions');
  const klass = f.class === undefined ? undefined : classOf(f.class);
  if (addBatches.length + addIngredientLots.length === 0 && f.instructions === undefined && klass === undefined) {
    throw new UsageError('give at least one change: --add-batch, --add-ingredient-lot, --instructions or --class');
  }
  const receipt = await amendRecall(clientOf(f), recall, { addBatches, addIngredientLots, instructions: f.instructions, class: klass });
  if (o.json) return void console.log(JSON.stringify(receipt));
  const r = receipt.result;
  const changes = [
    `${count(r.packsRecalled)} more pack(s) recalled in ${count(r.batches)} more batch(es)`,
    `class ${String(r.class ?? klass ?? '?')}`,
    r.instructionsChanged === true ? 'new instructions' : 'instructions unchanged',
  ];
  console.log(`Recall ${recall} amended: revision ${count(r.revision)}; ${changes.join('; ')}\n${eventLine(receipt)}\n  everyone told before is told again`);
}

async function close(o: Options): Promise<void> {
  const recall = recallIdOf(o.f);
  const receipt = await closeRecall(clientOf(o.f), recall, required(o.f, 'summary'));
  if (o.json) return void console.log(JSON.stringify(receipt));
  console.log(`Recall ${recall} closed (revision ${count(receipt.result.revision)}); recalled goods stay recalled\n${eventLine(receipt)}`);
}

/** The newest revision of `recall` the caller was told of and has not acknowledged; a refusal saying why when there is none. */
async function revisionToAcknowledge(client: PharmaTraceClient, recall: string): Promise<number> {
  let latestAcknowledged: number | null = null;
  for (let after: string | undefined; ;) {
    const page = await myRecallNotifications(client, { first: PAGE, after });
    // Newest first: the first open one met is the newest.
    for (const n of page.filter((x) => x.recall === recall)) {
      if (n.acknowledgedAt === null) return n.revision;
      latestAcknowledged = Math.max(latestAcknowledged ?? 0, n.revision);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
  }
  if (latestAcknowledged !== null) {
    throw new CliRefusal('NOTHING_TO_ACKNOWLEDGE', `you acknowledged every revision of ${recall} you were told of (the newest: ${latestAcknowledged}); recall notifications lists them`);
  }
  throw new CliRefusal(
    'NOTHING_TO_ACKNOWLEDGE',
    `you have no notification of ${recall}: the worker may not have told you yet (try again in a moment), or you hold none of its goods; recall notifications lists yours`,
  );
}

async function acknowledge(o: Options): Promise<void> {
  const recall = recallIdOf(o.f);
  const given = revisionOf(o.f);
  const client = clientOf(o.f);
  const revision = given ?? (await revisionToAcknowledge(client, recall));
  const receipt = await acknowledgeRecall(client, recall, revision);
  if (o.json) return void console.log(JSON.stringify(receipt));
  console.log(`Acknowledged revision ${revision} of ${recall}\n${eventLine(receipt)}`);
}

function describeRecall(r: RecallDetailsView): string {
  const lines = [
    `${r.id} — ${r.state.toUpperCase()}, class ${r.class}, revision ${r.revision}`,
    `  reason        ${r.reason}`,
    `  instructions  ${r.instructions}`,
    `  patients      ${r.notifyPatients ? 'to be told by the pharmacies that supplied them' : 'not to be told'}`,
    `  initiated     ${when(r.initiatedAt)} by ${r.initiatorId}`,
  ];
  if (r.closedAt) lines.push(`  closed        ${when(r.closedAt)}: ${r.closeSummary ?? ''}`);
  for (const b of r.batches ?? []) lines.push(`  batch         ${b.batchId}${b.viaIngredientLot ? ` via ${b.viaIngredientLot}` : ''} (revision ${b.addedRevision})`);
  for (const l of r.ingredientLots ?? []) lines.push(`  lot           ${l.ingredientLotId} (revision ${l.addedRevision})`);
  for (const v of r.revisions ?? []) lines.push(`  revision ${v.revision}    ${v.kind} ${when(v.at)}, event ${v.eventHash} (seq ${v.seq})`);
  return lines.join('\n');
}

async function show(o: Options): Promise<void> {
  const recall = recallIdOf(o.f);
  const r = await getRecall(clientOf(o.f), recall);
  if (!r) throw new CliRefusal('UNKNOWN_RECALL', `no recall ${recall} that you may see; recall list shows those you may`);
  console.log(o.json ? JSON.stringify(r) : describeRecall(r));
}

async function list(o: Options): Promise<void> {
  const state = o.f.state;
  if (state !== undefined && state !== 'open' && state !== 'closed') throw new UsageError(`--state must be open or closed, not "${state}"`);
  const client = clientOf(o.f);
  const rows = await allPages((after) => listRecalls(client, { first: PAGE, after, state }));
  if (o.json) return void console.log(JSON.stringify(rows));
  if (rows.length === 0) return void console.log(`No ${state ?? ''}${state ? ' ' : ''}recalls that you may see.`);
  console.log(table([['RECALL', 'STATE', 'CLASS', 'REV', 'INITIATED', 'BY', 'REASON'], ...rows.map((r) => [r.id, r.state, r.class, String(r.revision), when(r.initiatedAt), r.initiatorId, r.reason])]));
}

function describeNotification(n: RecallNotificationView): string {
  const ack = n.acknowledgedAt ? `acknowledged ${when(n.acknowledgedAt)}` : 'NOT ACKNOWLEDGED';
  const webhook = n.webhookState === 'none' ? 'no webhook' : `webhook ${n.webhookState} (${n.webhookAttempts} attempt(s))`;
  return [
    `${n.recall} revision ${n.revision} (${n.kind}), class ${n.class} — ${ack}`,
    `  you are told as ${n.reasons.join(', ')}: ${n.affectedPacks} affected pack(s); notified ${when(n.notifiedAt)}; ${webhook}`,
    `  reason: ${n.reason}`,
    `  instructions: ${n.instructions}${n.notifyPatients ? ' (patients supplied must be told)' : ''}`,
  ].join('\n');
}

async function notifications(o: Options): Promise<void> {
  const client = clientOf(o.f);
  const rows = await allPages((after) => myRecallNotifications(client, { first: PAGE, after }));
  if (o.json) return void console.log(JSON.stringify(rows));
  if (rows.length === 0) return void console.log('No recall notifications for you.');
  const open = rows.filter((n) => n.acknowledgedAt === null).length;
  console.log(rows.map(describeNotification).join('\n'));
  if (open > 0) console.log(`${open} not acknowledged: recall acknowledge --recall ID [--revision N]`);
}

async function deliveries(o: Options): Promise<void> {
  const recall = recallIdOf(o.f);
  const revision = revisionOf(o.f);
  const client = clientOf(o.f);
  const rows: RecallDeliveryView[] = await allPages((after) => recallDeliveries(client, recall, { first: PAGE, after, revision }));
  if (o.json) return void console.log(JSON.stringify(rows));
  if (rows.length === 0) return void console.log(`Nobody told of ${recall}${revision ? ` revision ${revision}` : ''} yet: the worker fans each revision out shortly after it is recorded.`);
  const webhook = (d: RecallDeliveryView): string => {
    if (d.webhookState === 'none') return 'none';
    const last = d.webhookLastError ?? (d.webhookLastStatus !== null ? `HTTP ${d.webhookLastStatus}` : '');
    return `${d.webhookState}, ${d.webhookAttempts} attempt(s)${last ? `, last ${last}` : ''}`;
  };
  const header = ['REV', 'PARTICIPANT', 'NAME', 'REASONS', 'PACKS', 'NOTIFIED', 'ACKNOWLEDGED', 'WEBHOOK'];
  const body = rows.map((d) => [String(d.revision), d.participantId, d.participantName, d.reasons.join(','), String(d.affectedPacks), when(d.notifiedAt), when(d.acknowledgedAt), webhook(d)]);
  const acknowledged = rows.filter((d) => d.acknowledgedAt !== null).length;
  console.log(`${table([header, ...body])}\n${acknowledged} of ${rows.length} notification(s) acknowledged`);
}

const RUN: Record<string, (o: Options) => Promise<void>> = { initiate, amend, close, acknowledge, show, list, notifications, deliveries };

/** `recall <subcommand> …` except `recall progress` (trace.command.ts). */
export async function recallCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    console.log(`usage:\n${RECALL_USAGE}\n  recall progress ${ACCESS} --recall ID [--format json|csv] [--out FILE]\nEach subcommand takes --help.`);
    return;
  }
  const run = sub !== undefined && Object.hasOwn(RUN, sub) ? RUN[sub] : undefined;
  if (!run) throw new UsageError(`unknown command recall ${sub ?? ''}; try recall --help`);
  const o = parseOptions(rest, { ...SPECS[sub], strings: ['server', 'key', ...(SPECS[sub].strings ?? [])] });
  if (o.help) return void console.log(HELP[sub]);
  return run(o);
}
