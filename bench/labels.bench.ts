// Pack labels at batch scale (issue 10: "a printable sheet for a whole batch, 100,000 packs streamed"), each
// figure beside a raw baseline measured in the same run:
// - signing and registering every label of the batch (SDK signAndRegisterBatchLabels: local Ed25519 signing,
//   pages of 1,000 serials, server-side verification and storage) vs raw signPackLabel calls/s;
// - the batch's sheet streamed over HTTP (GET /labels/01/<gtin>/10/<lot>/sheet, read to the end by the SDK's
//   downloadLabelSheet) in labels/s vs raw `qrcode` toString(svg) calls/s — the sheet's floor, since each
//   label is one QR rendering; and the process's peak RSS growth while it streams, to show the memory stays
//   bounded (pages of 1,000 labels, backpressure) whatever the batch size.
// Measured on this 2-core machine with other suites running (2026-11-30): at 100,000 packs, 35 s to
// commission, ~280 s to sign and register (356 labels/s), ~385 s to stream the 586 MB sheet (260 labels/s);
// at 20,000 under --expose-gc, heap growth while streaming 0 MB (RSS 11 MB): the sheet's memory is bounded.
// The sheet figure includes the client's reading (decode and count) on the same thread as the server.
// Sizes: BENCH_LABEL_PACKS packs (default 100,000; BENCH_LABEL_PACKS=5000 takes well under a minute). The
// packs are commissioned through the real pipeline (one atomic call of 1,000-serial events).
// `npm run bench -- labels` runs this section alone; under `node --expose-gc` the memory figure samples
// live memory (a collection before each sample) rather than garbage V8 has not collected yet.
import * as QRCode from 'qrcode';
import { generateKeyPair, keyIdOf, signPackLabel } from '@pharmatrace/ledger-core';
import { LABEL_ERROR_CORRECTION, LABEL_QUIET_ZONE } from '@pharmatrace/labels';
import { commissionPacks, downloadLabelSheet, signAndRegisterBatchLabels } from '@pharmatrace/sdk';
import { parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import { startTestServer } from '../test/support/test-server';
import { createTestNetwork } from '../test/support/test-network';
import { productAndBatch } from '../test/support/custody-fixture';
import { envInt, opsPerSecond, report, seconds } from './measure';

export async function labelsBench(): Promise<void> {
  const packs = envInt('BENCH_LABEL_PACKS', 100_000);
  const server = await startTestServer(undefined, { PUBLIC_BASE_URL: 'https://pharmatrace.example.org' });
  try {
    const net = await createTestNetwork(server);
    const maker = await net.join('manufacturer', 'bench-label-maker');
    const { batch } = await productAndBatch(maker, packs);
    const ids = parseBatchAssetId(batch);
    if (!ids) throw new Error(`unexpected batch id ${batch}`);
    const { gtin, lot } = ids;
    const build = await seconds(() => commissionPacks(maker, batch, packs));
    console.log(`  built: ${packs} packs commissioned in ${build.toFixed(1)} s`);

    // Raw baselines on a sample of links shaped like the real ones.
    const keys = generateKeyPair();
    const kid = keyIdOf(keys.publicKey);
    const sample = Math.min(packs, 2000);
    const rawSignOnce = (): Promise<number> => opsPerSecond(sample, (i) => signPackLabel({ gtin, lot, serial: `S${i}`, expiry: '280131', kid }, keys.secretKey));
    const link = (i: number): string =>
      `https://pharmatrace.example.org/01/${gtin}/10/${lot}/21/${String(i).padStart(12, '0')}?17=280131&sig=${'A'.repeat(80)}${String(i).padStart(6, '0')}&kid=${kid.slice(8)}`;
    const rawQrOnce = (): Promise<number> =>
      opsPerSecond(sample, (i) => QRCode.toString(link(i), { type: 'svg', errorCorrectionLevel: LABEL_ERROR_CORRECTION, margin: LABEL_QUIET_ZONE }));
    // Each baseline is measured just before and just after its figure, and the better of the two kept, so
    // that a load change on the machine during a long figure does not flatter or sink the ratio.
    const before = { sign: await rawSignOnce() };

    const registerSeconds = await seconds(() => signAndRegisterBatchLabels(maker, gtin, lot));
    const rawSign = Math.max(before.sign, await rawSignOnce());
    report(`sign + register ${packs} labels (SDK → API)`, packs / registerSeconds, 'raw signPackLabel', rawSign, 'labels/s');
    const rawQrBefore = await rawQrOnce();

    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const baseHeap = process.memoryUsage().heapUsed;
    let peakHeap = baseHeap;
    let labels = 0;
    let bytes = 0;
    let chunks = 0;
    const sheetSeconds = await seconds(async () => {
      const { body } = await downloadLabelSheet(maker, gtin, lot);
      const decoder = new TextDecoder();
      let tail = '';
      for await (const chunk of body) {
        bytes += chunk.length;
        const text = tail + decoder.decode(chunk, { stream: true });
        labels += (text.match(/class="pack-label"/g) ?? []).length;
        tail = text.slice(Math.max(text.lastIndexOf('class="pack-label"') + 1, text.length - 20));
        if (++chunks % 16 === 0) {
          // With node --expose-gc the sample is of live memory, not of garbage not yet collected.
          (globalThis as { gc?: () => void }).gc?.();
          const m = process.memoryUsage();
          peakRss = Math.max(peakRss, m.rss);
          peakHeap = Math.max(peakHeap, m.heapUsed);
        }
      }
    });
    if (labels !== packs) throw new Error(`the sheet held ${labels} labels, not ${packs}`);
    const rawQr = Math.max(rawQrBefore, await rawQrOnce());
    report(`sheet of ${packs} labels streamed (HTTP)`, labels / sheetSeconds, 'raw qrcode toString svg', rawQr, 'labels/s');
    console.log(
      `  sheet: ${(bytes / 1e6).toFixed(0)} MB in ${sheetSeconds.toFixed(1)} s; peak growth while streaming: heap ${((peakHeap - baseHeap) / 1e6).toFixed(0)} MB, RSS ${((peakRss - baseRss) / 1e6).toFixed(0)} MB (client and server in this process)`,
    );
  } finally {
    await server.close();
  }
}
