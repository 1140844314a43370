import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatPackDigitalLink, isoToGs1Date, readPackLinkSignature } from './pack-link';
import { parsePackScan } from './pack-scan';

const SIG = 'A'.repeat(86);
const KID = 'ed25519:' + 'ab'.repeat(16);
const pack = { gtin: '9506000134352', lot: 'L/1%&+', serial: 'S+/%', expiresOn: '2027-12-31' };

describe('the pack label link (docs/pack-labels.md)', () => {
  it('formats the canonical Digital Link: GTIN-14, lot and serial escaped as the grammar spells them, expiry YYMMDD, sig and kid', () => {
    const link = formatPackDigitalLink('https://id.example.com/', pack, { signature: SIG, kid: KID });
    assert.equal(link, `https://id.example.com/01/09506000134352/10/L%2F1%25%26%2B/21/S%2B%2F%25?17=271231&sig=${SIG}&kid=${'ab'.repeat(16)}`);
    const scan = parsePackScan(link);
    assert.ok(scan.ok);
    assert.deepEqual(scan.pack, { gtin: '09506000134352', serial: 'S+/%', lot: 'L/1%&+', expiry: '2027-12-31' });
    assert.deepEqual(readPackLinkSignature(link), { signature: SIG, kid: KID });
  });

  it('reads no signature from an unsigned link, and a half one as present (so that it fails as a bad signature)', () => {
    assert.equal(readPackLinkSignature(formatPackDigitalLink('https://x.example', pack)), null);
    assert.deepEqual(readPackLinkSignature(`https://x.example/01/09506000134352/21/S?sig=${SIG}`), { signature: SIG, kid: 'ed25519:' });
    assert.deepEqual(readPackLinkSignature(`https://x.example/01/09506000134352/21/S?KID=${'ab'.repeat(16)}`), { signature: '', kid: KID });
  });

  it('refuses to pick one of two different signatures or keys in one link: it verifies as neither', () => {
    const two = `https://x.example/01/09506000134352/21/S?sig=${'B'.repeat(86)}&kid=${'ab'.repeat(16)}&sig=${SIG}`;
    assert.deepEqual(readPackLinkSignature(two), { signature: '', kid: 'ed25519:' });
    const twoKeys = `https://x.example/01/09506000134352/21/S?sig=${SIG}&kid=${'ab'.repeat(16)}&kid=${'cd'.repeat(16)}`;
    assert.deepEqual(readPackLinkSignature(twoKeys), { signature: '', kid: 'ed25519:' });
    // The same value twice is harmless.
    assert.deepEqual(readPackLinkSignature(`https://x.example/01/09506000134352/21/S?sig=${SIG}&sig=${SIG}&kid=${'ab'.repeat(16)}`), { signature: SIG, kid: KID });
  });

  it('prints expiry dates as GS1 AI 17 does', () => {
    assert.equal(isoToGs1Date('2031-02-28'), '310228');
  });
});
