// The QR round trip (issue 10): render the label PNG, decode it with jsqr + pngjs back to the exact URI,
// read sig/kid from it, parse it as any scanner would, and check the signature with libs/ledger-core alone.
// The fixed vector is the one printed in docs/pack-labels.md, so that the document cannot drift.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64Url, keyIdOf, packLabelMessage, publicKeyFromSecret, signPackLabel, toBase64Url, toHex, verifyPackLabel } from '@pharmatrace/ledger-core';
import { isoToGs1Date, parsePackScan, readPackLinkSignature } from '@pharmatrace/gs1';
import { labelLink, renderLabelPng, type LabelContent } from './label-render';
import { decodeQrPng } from './label-test-support';

/** docs/pack-labels.md, "A worked example": RFC 8032 test 1's secret key. */
const DOC = {
  secretKeyHex: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  publicKey: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
  kid: 'ed25519:21fe31dfa154a261626bf854046fd227',
  signedJson: '{"exp":"271231","gtin":"09506000134352","kid":"ed25519:21fe31dfa154a261626bf854046fd227","lot":"ABC123","ser":"12345","t":"pharmatrace.pack-label","v":1}',
  signature: '8GyCuPUi1QDjEUPgiafx-fFTT60IDShGfXlc-vOP9Jx985WPZmvd3IoHfidxH-7L1bG46HcavzkfhlPo9UuBCw',
  link:
    'https://pharmatrace.example.org/01/09506000134352/10/ABC123/21/12345?17=271231&sig=8GyCuPUi1QDjEUPgiafx-fFTT60IDShGfXlc-vOP9Jx985WPZmvd3IoHfidxH-7L1bG46HcavzkfhlPo9UuBCw&kid=21fe31dfa154a261626bf854046fd227',
};
const BASE = 'https://pharmatrace.example.org';
const secret = Uint8Array.from(Buffer.from(DOC.secretKeyHex, 'hex'));
const publicKey = publicKeyFromSecret(secret);
const pack = { gtin: '09506000134352', lot: 'ABC123', serial: '12345', expiresOn: '2027-12-31' };

/** What an offline app does with a scanned link: parse, read sig/kid, verify with the manufacturer's key. */
function verifyScanned(uri: string, manufacturerKey: Uint8Array): boolean {
  const scan = parsePackScan(uri, { now: new Date('2026-06-01T00:00:00Z') });
  if (!scan.ok || scan.pack.lot === null || scan.pack.expiry === null) return false;
  const label = readPackLinkSignature(uri);
  if (!label) return false;
  const { gtin, lot, serial, expiry } = scan.pack;
  return verifyPackLabel({ gtin, lot, serial, expiry: isoToGs1Date(expiry), kid: label.kid }, label.signature, manufacturerKey);
}

describe('docs/pack-labels.md worked example (fixed vector)', () => {
  it('key, kid, signed bytes, signature and link are exactly those the document prints', () => {
    assert.equal(toBase64Url(publicKey), DOC.publicKey);
    assert.equal(keyIdOf(publicKey), DOC.kid);
    const fields = { gtin: pack.gtin, lot: pack.lot, serial: pack.serial, expiry: '271231', kid: DOC.kid };
    assert.equal(new TextDecoder().decode(packLabelMessage(fields)), DOC.signedJson);
    assert.equal(toHex(packLabelMessage(fields)), Buffer.from(DOC.signedJson, 'utf8').toString('hex'));
    assert.equal(signPackLabel(fields, secret), DOC.signature);
    assert.equal(labelLink(BASE, { ...pack, signature: { signature: DOC.signature, kid: DOC.kid } }), DOC.link);
  });
});

describe('QR round trip: PNG → jsqr → URI → signature verified offline', () => {
  const label: LabelContent = { ...pack, signature: { signature: DOC.signature, kid: DOC.kid } };

  it('decodes to the exact signed link, whose signature verifies with ledger-core and the public key alone', async () => {
    const uri = decodeQrPng(await renderLabelPng(BASE, label));
    assert.equal(uri, DOC.link);
    assert.deepEqual(readPackLinkSignature(uri), { signature: DOC.signature, kid: DOC.kid });
    const scan = parsePackScan(uri, { now: new Date('2026-06-01T00:00:00Z') });
    assert.ok(scan.ok);
    assert.deepEqual(scan.pack, { gtin: pack.gtin, serial: pack.serial, lot: pack.lot, expiry: pack.expiresOn });
    assert.equal(verifyScanned(uri, fromBase64Url(DOC.publicKey)), true);
  });

  it('a lot with characters the link must escape survives the round trip', async () => {
    const lot = 'A/1%&+';
    const signature = signPackLabel({ gtin: pack.gtin, lot, serial: 'X.7', expiry: '271231', kid: DOC.kid }, secret);
    const uri = decodeQrPng(await renderLabelPng(BASE, { ...pack, lot, serial: 'X.7', signature: { signature, kid: DOC.kid } }));
    assert.equal(verifyScanned(uri, publicKey), true);
  });

  it('fails once the code is tampered with: another serial, lot, expiry, signature or key', async () => {
    const uri = decodeQrPng(await renderLabelPng(BASE, label));
    const tampered = [
      uri.replace('/21/12345', '/21/12346'),
      uri.replace('/10/ABC123', '/10/ABC124'),
      uri.replace('17=271231', '17=281231'),
      uri.replace(`sig=${DOC.signature}`, `sig=${DOC.signature.slice(0, -2)}AA`),
      uri.replace(/kid=[0-9a-f]+/, `kid=${'0'.repeat(32)}`),
    ];
    for (const t of tampered) assert.equal(verifyScanned(t, publicKey), false, t);
    const other = publicKeyFromSecret(new Uint8Array(32).fill(7));
    assert.equal(verifyScanned(uri, other), false);
  });
});
