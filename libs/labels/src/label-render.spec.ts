import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { generateKeyPair, keyIdOf, signPackLabel } from '@pharmatrace/ledger-core';
import { labelLines, renderLabelPng, renderLabelSvg, type LabelContent } from './label-render';
import { labelSheetChunks, LABELS_PER_PRINTED_PAGE } from './label-sheet';
import { assertWellFormedXml, decodeQrPng } from './label-test-support';

const BASE = 'https://pharmatrace.example.org';
const keys = generateKeyPair();
const kid = keyIdOf(keys.publicKey);

function label(serial: string, lot = 'L<&>"1'): LabelContent {
  const signature = signPackLabel({ gtin: '09506000134352', lot, serial, expiry: '271231', kid }, keys.secretKey);
  return { gtin: '09506000134352', lot, serial, expiresOn: '2027-12-31', signature: { signature, kid } };
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

describe('one label, SVG and PNG (qrcode)', () => {
  it('prints the four human-readable lines as EU FMD / DSCSA packs do', () => {
    assert.deepEqual(labelLines(label('SN-1', 'ABC123')), ['GTIN 09506000134352', 'SN SN-1', 'LOT ABC123', 'EXP 2027-12-31']);
  });

  it('SVG: one well-formed document holding the QR code and each text line, markup in a lot escaped', async () => {
    const svg = await renderLabelSvg(BASE, label('SN-1'));
    assertWellFormedXml(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<svg x="0" y="0" width="200" height="200" xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    for (const line of ['GTIN 09506000134352', 'SN SN-1', 'LOT L&#60;&#38;&#62;&#34;1', 'EXP 2027-12-31']) assert.ok(svg.includes(`>${line}</text>`), line);
    assert.ok(!svg.includes('L<&>'), 'the raw lot must not reach the markup');
  });

  it('PNG: a real PNG whose QR code decodes to the signed link', async () => {
    const l = label('SN-2', 'ABC123');
    const png = await renderLabelPng(BASE, l);
    const image = PNG.sync.read(png);
    assert.ok(image.width >= 400 && image.width === image.height, `${image.width}x${image.height}`);
    assert.equal(
      decodeQrPng(png),
      `${BASE}/01/09506000134352/10/ABC123/21/SN-2?17=271231&sig=${l.signature.signature}&kid=${kid.slice('ed25519:'.length)}`,
    );
  });
});

describe('the batch sheet (HTML, streamed label by label)', () => {
  it('holds every label once, in pages of 20 with page breaks, and is well-formed', async () => {
    const labels = Array.from({ length: 45 }, (_, i) => label(`S${String(i).padStart(3, '0')}`, 'ABC123'));
    async function* pages() {
      yield labels.slice(0, 30);
      yield labels.slice(30);
    }
    const html = await collect(labelSheetChunks(BASE, { gtin: '09506000134352', lot: 'ABC123', expiresOn: '2027-12-31', total: 45 }, pages()));
    assertWellFormedXml(html.replace(/<style>[^<]*<\/style>/, ''));
    assert.equal((html.match(/class="pack-label"/g) ?? []).length, 45);
    assert.equal((html.match(/<div class="page">/g) ?? []).length, Math.ceil(45 / LABELS_PER_PRINTED_PAGE));
    for (const l of labels) assert.ok(html.includes(`>SN ${l.serial}</text>`), l.serial);
    assert.match(html, /break-after:page/);
  });

  it('renders only as far as the consumer reads (nothing is buffered ahead)', async () => {
    let pulled = 0;
    async function* pages() {
      for (let p = 0; p < 100; p++) {
        pulled++;
        yield [label(`P${p}`, 'ABC123')];
      }
    }
    const chunks = labelSheetChunks(BASE, { gtin: '09506000134352', lot: 'ABC123', expiresOn: '2027-12-31', total: 100 }, pages());
    await chunks.next(); // head
    await chunks.next(); // first printed page: labels 1–20
    assert.equal(pulled, 20);
    await chunks.return(undefined);
  });
});
