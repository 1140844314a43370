// Soak (issue 12, reliability): BENCH_SOAK_SECONDS (default 600) of mixed load on one process running the
// API and the worker — ingest (commission, ship, receive), patient verification (JSON, known and unknown
// serials), dispensing against fresh prescriptions, and a recall half-way — with memory sampled every
// 10 s. A bench, not a CI test (ten minutes): `npm run bench -- soak`, or BENCH_SOAK_SECONDS=120 for a
// short one. Under `node --expose-gc` each sample follows a collection, so it measures live memory.
// Figures beside their baselines from the same run: the heap at the end vs the heap after the first
// minute (and the least-squares trend over the second half, MB per minute), and each loop's rate in the
// last minute vs its first minute. Any error other than the refusals the load expects is counted and
// printed; the expected ones (a recalled pack refused at the counter, packs of the recalled batch refused
// at commissioning) are counted apart.
import { randomBytes } from 'node:crypto';
import { dispense, initiateRecall, issuePrescription, PharmaTraceApiError, PharmaTraceClient, receive, ship, commissionPacks, patientPseudonym } from '@pharmatrace/sdk';
import { productAndBatch } from '../test/support/custody-fixture';
import { startTestServer } from '../test/support/test-server';
import { createTestNetwork } from '../test/support/test-network';
import { envInt, report } from './measure';

/** Serials kept for the verification loop to scan (a random sample once full). */
const MAX_KNOWN = 10_000;

/** Refusals the mixed load provokes on purpose or by its own races; anything else is an error. */
const EXPECTED = new Set(['RECALLED', 'BATCH_RECALLED']);

interface Loop {
  name: string;
  done: number[];
  /** One unit of work; resolves to how many operations it did. */
  step(): Promise<number>;
}

export async function soakBench(): Promise<void> {
  const seconds = envInt('BENCH_SOAK_SECONDS', 600);
  const server = await startTestServer(undefined, { RATE_LIMIT_MUTATIONS_PER_PARTICIPANT: '10000000' });
  const errors = new Map<string, number>();
  const refusals = new Map<string, number>();
  try {
    const net = await createTestNetwork(server);
    const [maker, wholesaler, pharmacy, prescriber] = await Promise.all([
      net.join('manufacturer', 'soak-maker'), net.join('wholesaler', 'soak-wholesaler'), net.join('pharmacy', 'soak-pharmacy'), net.join('prescriber', 'soak-prescriber'),
    ]);
    const { gtin, batch } = await productAndBatch(maker, 10_000_000);
    const recalled = await productAndBatch(maker, 10_000_000);
    const pseudonymSecret = randomBytes(32);
    const onShelf: string[] = [];
    const known: string[] = [];
    let started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;

    // Ingest: 200 packs commissioned, shipped to the wholesaler, received, half shipped on to the pharmacy.
    const ingest = async (b: { gtin: string; batch: string }): Promise<number> => {
      const { serials } = await commissionPacks(maker, b.batch, 200);
      const packs = serials.map((s) => `sgtin:${b.gtin}.${s}`);
      const toWholesaler = await ship(maker, wholesaler.participantId, packs);
      await receive(wholesaler, toWholesaler.shipment);
      const toPharmacy = await ship(wholesaler, pharmacy.participantId, packs.slice(0, 100));
      await receive(pharmacy, toPharmacy.shipment);
      if (onShelf.length < MAX_KNOWN) onShelf.push(...packs.slice(0, 100));
      // A bounded sample of the serials to scan: the bench's own memory must not grow with the ledger,
      // or it would hide (or fake) a trend in the server's, which shares this process.
      for (const s of serials) {
        const entry = `${b.gtin}/21/${s}`;
        if (known.length < MAX_KNOWN) known.push(entry);
        else known[Math.floor(Math.random() * MAX_KNOWN)] = entry;
      }
      return 5;
    };
    await ingest({ gtin, batch });
    await ingest(recalled);
    started = Date.now();

    const loops: Loop[] = [
      { name: 'ingest (calls)', done: [], step: () => ingest(Math.random() < 0.2 ? recalled : { gtin, batch }) },
      {
        name: 'patient verification (scans)',
        done: [],
        async step() {
          const path = Math.random() < 0.1 ? `${gtin}/21/UNKNOWN${Math.floor(Math.random() * 1e6)}` : known[Math.floor(Math.random() * known.length)];
          const r = await fetch(`${server.url}/01/${path}`, { headers: { accept: 'application/json' } });
          if (r.status !== 200) throw new Error(`verification answered ${r.status}`);
          await r.arrayBuffer();
          return 1;
        },
      },
      {
        name: 'dispensing (prescriptions filled)',
        done: [],
        async step() {
          const packId = onShelf.shift();
          if (!packId) {
            await new Promise((r) => setTimeout(r, 50));
            return 0;
          }
          const patient = patientPseudonym(pseudonymSecret, `P${Math.floor(Math.random() * 1e9)}`);
          const today = new Date().toISOString().slice(0, 10);
          const validUntil = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
          const { id } = await issuePrescription(prescriber, { patient, product: { gtin: packId.slice(6, 20) }, quantity: 1, refills: 0, validFrom: today, validUntil, controlledClass: 'none' });
          await dispense(pharmacy, { prescription: id, patient, scans: [`01${packId.slice(6, 20)}21${packId.slice(21)}`] });
          return 1;
        },
      },
    ];

    const deadline = Date.now() + seconds * 1000;
    const samples: Array<{ t: number; heapMb: number; rssMb: number }> = [];
    const gc = (globalThis as { gc?: () => void }).gc;
    const sample = () => {
      gc?.();
      const m = process.memoryUsage();
      samples.push({ t: elapsed(), heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 });
    };
    sample();
    const sampler = setInterval(sample, 10_000);
    let recall: string | null = null;
    const recallTimer = setTimeout(() => {
      initiateRecall(net.regulator, { class: 'II', reason: 'soak: out-of-specification assay', instructions: 'Quarantine and return', notifyPatients: false, batches: [recalled.batch] }).then(
        (r) => (recall = r.recall),
        (e: unknown) => errors.set(`recall: ${String(e)}`, 1),
      );
    }, (seconds * 1000) / 2);
    await Promise.all(
      loops.map(async (loop) => {
        while (Date.now() < deadline) {
          const second = Math.floor(elapsed());
          try {
            loop.done[second] = (loop.done[second] ?? 0) + (await loop.step());
          } catch (e) {
            const code = e instanceof PharmaTraceApiError ? e.code : null;
            const key = `${loop.name}: ${code ?? (e instanceof Error ? e.message : String(e))}`;
            const bucket = code !== null && EXPECTED.has(code) ? refusals : errors;
            bucket.set(key, (bucket.get(key) ?? 0) + 1);
          }
        }
      }),
    );
    clearInterval(sampler);
    clearTimeout(recallTimer);
    sample();

    console.log(`  soak: ${seconds} s of mixed load; recall ${recall ?? 'not initiated'}; gc between samples: ${gc ? 'yes' : 'no (run under node --expose-gc for live memory)'}`);
    const minute = Math.min(60, Math.floor(seconds / 3));
    const rate = (loop: Loop, from: number, to: number) => loop.done.slice(from, to).reduce((a, b) => a + (b ?? 0), 0) / Math.max(1, to - from);
    for (const loop of loops) report(`${loop.name}, last ${minute} s`, rate(loop, seconds - minute, seconds), `its first ${minute} s`, rate(loop, 0, minute), '/s');
    const afterWarmup = samples.find((s) => s.t >= minute) ?? samples[0];
    const last = samples[samples.length - 1];
    report('heap used at the end (MB)', last.heapMb, `after the first ${minute} s`, afterWarmup.heapMb, 'MB');
    report('RSS at the end (MB)', last.rssMb, `after the first ${minute} s`, afterWarmup.rssMb, 'MB');
    const half = samples.filter((s) => s.t >= seconds / 2);
    console.log(`  heap trend over the second half: ${slope(half).toFixed(2)} MB/min (${half.length} samples)`);
    console.log(`  expected refusals: ${refusals.size === 0 ? 'none' : [...refusals].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
    console.log(`  errors: ${errors.size === 0 ? 'none' : [...errors].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
  } finally {
    await server.close();
  }
}

/** Least-squares slope of heapMb over time, in MB per minute. */
function slope(points: Array<{ t: number; heapMb: number }>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mh = points.reduce((a, p) => a + p.heapMb, 0) / n;
  const num = points.reduce((a, p) => a + (p.t - mt) * (p.heapMb - mh), 0);
  const den = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}
