// Recalls and tracing at national scale (issue: "a batch of 100,000 packs spread over many custodians"),
// each figure beside a bare-SQL baseline on the same database in the same run.
//
// Sizes: BENCH_RECALL_PACKS packs in the recalled batch (default 100,000) and BENCH_RECALL_BACKGROUND
// packs of other batches (default 2 × that: 200,000, eight other lots of the same GTIN, so their serials
// interleave with the batch's in pack-id order), over 25 wholesalers and 25 pharmacies.
// How the data is built:
// - through the real pipeline (SDK → GraphQL → rules → PostgreSQL), because the queries read what the rules
//   write: the batch's commissioning (one atomic call), packing 80 % of it into cases of 100 and the cases
//   onto pallets of 10 (locally signed pack events, submitted 100 to a call), shipments of pallets to the
//   wholesalers (most received, one in ten still open) and of loose packs to the pharmacies (most received,
//   some open), prescriptions and dispenses (4 packs supplied at each pharmacy), and the recall itself;
// - by bulk SQL (INSERT … SELECT FROM unnest, as custody.bench.ts does for its baseline), the background
//   packs of the other batches: volume only, no events. The ledger is not padded to 1,000,000 events: the
//   tracing queries reach ledger_events only by primary key (seq), so its length does not change a plan.
// ANALYZE runs once the data is in (as autovacuum would after such a load).
// Time at the default sizes on this 2-core machine (measured with other suites running, load 5–8): 91 s to
// build, about 40 s of figures — 192 s in all on 2026-11-30, 60 of them recallProgress hitting the API's 30 s
// query limit twice (see the report of that run).
// BENCH_RECALL_PACKS=20000 takes well under a minute.
// `npm run bench -- recalls` runs this section alone; BENCH_RECALL_VERBOSE=1 prints how long each step of the
// build took, and BENCH_RECALL_KEEP=<seconds> keeps the database up that long after the figures (its URL
// printed) for EXPLAIN (ANALYZE, BUFFERS) by hand.
import { randomBytes } from 'node:crypto';
import { eventHash, SignedEvent } from '@pharmatrace/ledger-core';
import { generateSerials } from '@pharmatrace/gs1';
import { CustodyEventTypes, packAssetId } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks, dispense, initiateRecall, issuePrescription, patientPseudonym, PharmaTraceClient, receive, recallProgress, registerBatch, ship, traceForwardPages,
} from '@pharmatrace/sdk';
import { recallHolders } from '@pharmatrace/tracing/affected-packs';
import { ForwardTraceService } from '@pharmatrace/tracing';
import { RecallFanout } from '@pharmatrace/notifications';
import { RECALLABLE_PACK_STATES } from '@pharmatrace/recalls/recall-events';
import { startTestServer, waitFor } from '../test/support/test-server';
import { createTestNetwork } from '../test/support/test-network';
import { newSscc, productAndBatch } from '../test/support/custody-fixture';
import { envInt, report, reportTime, seconds } from './measure';

const CASE_PACKS = 100;
const PALLET_CASES = 10;
const WHOLESALERS = 25;
const PHARMACIES = 25;
const SUPPLIED_PER_PHARMACY = 4;

/** The best (least disturbed) of `runs` timings, after one warm-up. */
async function best(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await seconds(fn));
  return min;
}

const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function recallsBench(): Promise<void> {
  const count = envInt('BENCH_RECALL_PACKS', 100_000);
  const background = envInt('BENCH_RECALL_BACKGROUND', count * 2);
  const server = await startTestServer();
  try {
    const started = Date.now();
    const phase = (what: string) => process.env.BENCH_RECALL_VERBOSE && console.error(`  … ${what} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const net = await createTestNetwork(server);
    const ds = server.runtime.dataSource;
    const maker = await net.join('manufacturer', 'rb-maker');
    const dr = await net.join('prescriber', 'rb-dr');
    const wholesalers: PharmaTraceClient[] = [];
    const pharmacies: PharmaTraceClient[] = [];
    for (let i = 0; i < WHOLESALERS; i++) wholesalers.push(await net.join('wholesaler', `rb-wholesaler-${i}`));
    for (let i = 0; i < PHARMACIES; i++) pharmacies.push(await net.join('pharmacy', `rb-pharmacy-${i}`));

    // The batch, commissioned through the API in one call.
    const { gtin, batch } = await productAndBatch(maker, count);
    const { receipts, serials } = await commissionPacks(maker, batch, count);
    const ids = serials.map((s) => packAssetId(gtin, s));
    const heads = new Map<string, string>(ids.map((id, i) => [id, receipts[Math.floor(i / 1000)].hash]));
    phase('commissioned');

    // Packing, signed locally and submitted 100 events to a call: cases of 100, pallets of 10 cases.
    const submit = async (client: PharmaTraceClient, events: SignedEvent[]) => {
      for (const part of chunks(events, 100)) await client.submitMany(part);
    };
    const packed = Math.floor((count * 0.8) / (CASE_PACKS * PALLET_CASES)) * CASE_PACKS * PALLET_CASES;
    const cases: string[] = [];
    const caseEvents: SignedEvent[] = [];
    for (const contents of chunks(ids.slice(0, packed), CASE_PACKS)) {
      const id = newSscc();
      const signed = maker.sign({ type: CustodyEventTypes.packed, assets: [{ id, prev: null }, ...contents.map((p) => ({ id: p, prev: heads.get(p) ?? null }))], data: { v: 1, container: { id, kind: 'case' }, contents } });
      const h = eventHash(signed.event);
      heads.set(id, h);
      for (const p of contents) heads.set(p, h);
      cases.push(id);
      caseEvents.push(signed);
    }
    await submit(maker, caseEvents);
    phase('cases packed');
    const pallets: string[] = [];
    const palletEvents: SignedEvent[] = [];
    for (const contents of chunks(cases, PALLET_CASES)) {
      const id = newSscc();
      const signed = maker.sign({ type: CustodyEventTypes.packed, assets: [{ id, prev: null }, ...contents.map((c) => ({ id: c, prev: heads.get(c) ?? null }))], data: { v: 1, container: { id, kind: 'pallet' }, contents } });
      pallets.push(id);
      palletEvents.push(signed);
    }
    await submit(maker, palletEvents);
    phase('pallets packed');

    // Pallets: one in ten stays with the maker, one in ten on its way to a wholesaler, the rest received.
    const byWholesaler = new Map<number, { received: string[]; open: string[] }>();
    pallets.forEach((p, i) => {
      if (i % 10 === 9) return;
      const w = i % WHOLESALERS;
      const slot = byWholesaler.get(w) ?? { received: [], open: [] };
      (i % 10 === 8 ? slot.open : slot.received).push(p);
      byWholesaler.set(w, slot);
    });
    for (const [w, { received, open }] of byWholesaler) {
      if (received.length > 0) await receive(wholesalers[w], (await ship(maker, wholesalers[w].participantId, received)).shipment);
      if (open.length > 0) await ship(maker, wholesalers[w].participantId, open);
    }
    phase('pallets shipped');

    // Loose packs: three quarters to the pharmacies (received), one in eight in open shipments to them, the rest with the maker.
    const loose = ids.slice(packed);
    const perPharmacy = Math.floor((loose.length * 0.75) / PHARMACIES);
    const openPerPharmacy = Math.floor((loose.length * 0.125) / PHARMACIES);
    const patientSecret = randomBytes(32);
    for (let i = 0; i < PHARMACIES; i++) {
      const mine = loose.slice(i * perPharmacy, (i + 1) * perPharmacy);
      for (const part of chunks(mine, 300)) await receive(pharmacies[i], (await ship(maker, pharmacies[i].participantId, part)).shipment);
      const from = PHARMACIES * perPharmacy + i * openPerPharmacy;
      if (openPerPharmacy > 0) await ship(maker, pharmacies[i].participantId, loose.slice(from, from + openPerPharmacy));
      // Supplied to a patient against a prescription: the trace's dispenses and the fan-out's suppliers.
      const patient = patientPseudonym(patientSecret, `RB-${i}-A`);
      const prescription = (await issuePrescription(dr, { patient, product: { gtin }, quantity: SUPPLIED_PER_PHARMACY, refills: 0, validFrom: day(0), validUntil: day(30), controlledClass: 'none' })).id;
      const scans = mine.slice(0, SUPPLIED_PER_PHARMACY).map((id) => `01${gtin}21${id.slice(id.lastIndexOf('.') + 1)}`);
      await dispense(pharmacies[i], { prescription, patient, scans });
    }
    phase('loose packs shipped and supplied');

    // Background volume by bulk SQL, after the custody events (their own cost is not what is measured here):
    // eight other lots of the same product, registered through the API, their packs inserted directly.
    const otherBatches: string[] = [];
    for (let i = 0; i < 8; i++) otherBatches.push((await registerBatch(maker, { gtin, lot: `RB-BG-${i}`, quantity: Math.ceil(background / 8), manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' })).id);
    const holders = [maker, ...wholesalers, ...pharmacies].map((c) => c.participantId);
    await ds.transaction(async (m) => {
      const bg = generateSerials(background);
      for (let i = 0; i < background; i += 50_000) {
        const part = bg.slice(i, i + 50_000);
        await m.query(
          `INSERT INTO custody_items (id, kind, gtin, serial, batch_id, custodian_id, state, created_seq, updated_seq)
           SELECT 'sgtin:' || $2 || '.' || serial, 'pack', $2, serial, ($3::text[])[1 + (n % cardinality($3::text[]))],
                  ($4::text[])[1 + ((n * 7919) % cardinality($4::text[]))], CASE WHEN n % 50 = 0 THEN 'supplied' ELSE 'active' END, 1, 1
             FROM unnest($1::text[]) WITH ORDINALITY AS t(serial, n)`,
          [part, gtin, otherBatches, holders],
        );
      }
      await m.query('UPDATE batches SET commissioned = quantity WHERE id = ANY($1::text[])', [otherBatches]);
    });
    phase('background inserted');
    await ds.query('ANALYZE');
    const states: Array<{ state: string; n: string }> = await ds.query('SELECT state, count(*) AS n FROM custody_items WHERE batch_id = $1 GROUP BY state ORDER BY state', [batch]);
    const built = (Date.now() - started) / 1000;
    console.log(
      `  (built in ${built.toFixed(0)} s: batch of ${count} packs — ${packed} in ${cases.length} cases on ${pallets.length} pallets — over ${WHOLESALERS} wholesalers and ${PHARMACIES} pharmacies, ` +
        `${states.map((s) => `${s.n} ${s.state}`).join(', ')}; ${background} background packs by bulk SQL)`,
    );

    // 1. The signed recall through the API beside the bare UPDATE of the same rows (reset afterwards).
    const recallable = [...RECALLABLE_PACK_STATES];
    await ds.query('CREATE TABLE bench_recall_saved AS SELECT id, state, state_reason, updated_seq FROM custody_items WHERE batch_id = $1', [batch]);
    let bare = 0;
    const bareSeconds = await seconds(async () => {
      const r: Array<{ n: number }> = await ds.query(
        `WITH u AS (UPDATE custody_items SET state = 'recalled' WHERE batch_id = $1 AND kind = 'pack' AND state = ANY($2::text[]) RETURNING 1) SELECT count(*)::int AS n FROM u`,
        [batch, recallable],
      );
      bare = r[0].n;
    });
    await ds.query(
      'UPDATE custody_items c SET state = s.state, state_reason = s.state_reason, updated_seq = s.updated_seq FROM bench_recall_saved s WHERE c.id = s.id',
    );
    await ds.query('VACUUM ANALYZE custody_items');
    let recall = '';
    let packsRecalled = 0;
    const apiSeconds = await seconds(async () => {
      const r = await initiateRecall(net.regulator, {
        class: 'I', reason: 'Bench: particulate matter', instructions: 'Quarantine and return to the manufacturer.', notifyPatients: true, batches: [batch],
      });
      recall = r.recall;
      packsRecalled = Number((r.receipt.result as { packsRecalled: number }).packsRecalled);
    });
    if (packsRecalled !== bare) throw new Error(`the recall turned ${packsRecalled} packs to recalled, the bare UPDATE ${bare}`);
    report(`recall a batch of ${count} (signed, through the API)`, packsRecalled / apiSeconds, 'bare UPDATE of the same rows', bare / bareSeconds, 'packs/s');
    await waitFor('the recall to be fanned out', async () => {
      const [r]: Array<{ done: boolean }> = await ds.query('SELECT fanned_out_at IS NOT NULL AS done FROM recall_revisions WHERE recall_id = $1 AND revision = 1', [recall]);
      return r?.done;
    }, 120_000);

    // 2. The forward trace of the whole batch, 1,000 packs a page, beside a bare SELECT of the same packs.
    let traced = 0;
    let pages = 0;
    const traceSeconds = await seconds(async () => {
      for await (const page of traceForwardPages(net.regulator, { batch }, { pageSize: 1000 })) {
        traced += page.packs.length;
        pages++;
      }
    });
    if (traced !== count) throw new Error(`the forward trace returned ${traced} packs, not ${count}`);
    let selected = 0;
    const selectSeconds = await seconds(async () => {
      const rows: unknown[] = await ds.query(`SELECT id, state, parent_id, custodian_id, shipment_id FROM custody_items WHERE batch_id = $1 AND kind = 'pack' ORDER BY id`, [batch]);
      selected = rows.length;
    });
    report(`forward trace, ${pages} pages of 1,000 (SDK)`, traced / traceSeconds, 'bare SELECT of the packs by batch', selected / selectSeconds, 'packs/s');
    // The same pages from the service, without HTTP and GraphQL: what of the trace is SQL.
    const service = server.api.get(ForwardTraceService);
    let served = 0;
    const serviceSeconds = await seconds(async () => {
      for (let after: string | null = null, more = true; more;) {
        const page = await service.page({ kind: 'batch', id: batch }, 1000, after);
        served += page.packs.length;
        [after, more] = [page.endCursor, page.hasNextPage];
      }
    });
    report('forward trace, same pages, service only', served / serviceSeconds, 'bare SELECT of the packs by batch', selected / selectSeconds, 'packs/s');

    // 3. Recall progress beside a bare count of the batch's packs by state.
    const groupSeconds = await best(3, () => ds.query('SELECT state, count(*) FROM custody_items WHERE batch_id = $1 GROUP BY state', [batch]));
    const progressStarted = Date.now();
    try {
      reportTime('recallProgress (SDK)', await best(3, () => recallProgress(net.regulator, recall)), 'bare GROUP BY state', groupSeconds);
    } catch (e) {
      // Refused (e.g. the API's query time limit): say so with how long it took, and go on with the rest.
      reportTime(`recallProgress FAILED ${(e as { code?: string }).code ?? String(e)}`, (Date.now() - progressStarted) / 1000, 'bare GROUP BY state', groupSeconds);
    }

    // 4. Who must be told: recallHolders, and the whole fan-out of the revision (reset before each run),
    // beside a bare count of the batch's packs by custodian.
    const holdersSeconds = await best(3, () => recallHolders(ds.manager, [batch]));
    const byCustodianSeconds = await best(3, () => ds.query('SELECT custodian_id, count(*) FROM custody_items WHERE batch_id = $1 GROUP BY custodian_id', [batch]));
    reportTime('recallHolders (who must be told)', holdersSeconds, 'bare GROUP BY custodian', byCustodianSeconds);
    const fanout = server.worker.get(RecallFanout);
    let notified = 0;
    let fanoutSeconds = Infinity;
    for (let run = 0; run < 4; run++) {
      await ds.transaction(async (m) => {
        await m.query('DELETE FROM webhook_deliveries WHERE notification_id IN (SELECT id FROM recall_notifications WHERE recall_id = $1)', [recall]);
        await m.query('DELETE FROM recall_notifications WHERE recall_id = $1', [recall]);
        await m.query('UPDATE recall_revisions SET fanned_out_at = NULL WHERE recall_id = $1', [recall]);
      });
      let outcome: Awaited<ReturnType<RecallFanout['fanOut']>>[number] | undefined;
      const s = await seconds(async () => ([outcome] = await fanout.fanOut(recall, 1)));
      // The worker's own sweep may have taken the revision first: that run does not count.
      if (!outcome || outcome.notified === 0) continue;
      notified = outcome.notified;
      if (run > 0) fanoutSeconds = Math.min(fanoutSeconds, s);
    }
    if (notified === 0 || fanoutSeconds === Infinity) throw new Error('the fan-out kept being taken by the worker’s sweep');
    reportTime(`recall fan-out (${notified} notifications stored)`, fanoutSeconds, 'bare GROUP BY custodian', byCustodianSeconds);
    if (process.env.BENCH_RECALL_KEEP) {
      console.log(`  (keeping ${server.runtime.databaseUrl} up for ${process.env.BENCH_RECALL_KEEP} s: batch ${batch}, recall ${recall})`);
      await new Promise((r) => setTimeout(r, Number(process.env.BENCH_RECALL_KEEP) * 1000));
    }
    console.log(`  (recalls and tracing took ${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  } finally {
    await server.close();
  }
}
