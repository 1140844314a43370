import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PackReport } from '@pharmatrace/verification';
import { patientPage } from './patient-page';

const hostile = '<img src=x onerror=alert(1)>"\'';

function report(over: Partial<PackReport> = {}): PackReport {
  return {
    verdict: { genuine: true, safeToUse: true, fitToDispense: true, status: 'active', reasons: [], checkedAt: '2026-11-30T04:00:00.000Z' },
    scanned: { gtin: '09506000134352', serial: hostile, lot: 'L1', expiry: '2028-01-31' },
    product: { gtin: '09506000134352', name: hostile, activeIngredient: hostile, strength: '5 mg', form: 'tablet' },
    manufacturer: { name: hostile, gln: '9506000134352', town: hostile },
    batch: { lot: 'L1', expiresOn: '2028-01-31' },
    journey: [{ kind: 'made', participantName: hostile, role: 'manufacturer', town: hostile, from: '2026-01-01T00:00:00.000Z', to: null, description: `Made and registered by ${hostile}` }],
    temperature: { verdict: 'broken', summary: 'x', storage: { minC: 2, maxC: 8 }, minutesOutOfRange: 30, worstC: 15, mktC: 7, readingCount: 3, readings: [
      { at: '2026-01-01T00:00:00.000Z', celsius: 5 }, { at: '2026-01-01T01:00:00.000Z', celsius: 15 }, { at: '2026-01-01T02:00:00.000Z', celsius: 5 },
    ] },
    recall: { id: 'recall:1', class: 'II', reason: hostile, instructions: hostile, notifyPatients: true, initiatedAt: '2026-02-01T00:00:00.000Z' },
    labelSignature: 'absent',
    ledger: null,
    ...over,
  };
}

describe('patient page rendering', () => {
  it('escapes every value read from the ledger or the link', () => {
    const page = patientPage(report(), 'nonce123', '00000000-0000-4000-8000-000000000000');
    assert.ok(!page.includes('<img'), 'no injected markup');
    assert.ok(page.includes('&lt;img src&#61;x onerror&#61;alert(1)&gt;&quot;&#39;'));
  });

  it('puts the verdict first and charts readings against the storage band, marking those outside', () => {
    const page = patientPage(report(), 'n', null);
    assert.ok(page.indexOf('id="verdict"') < page.indexOf('<h2>'));
    assert.equal((page.match(/<circle /g) ?? []).length, 1);
    assert.ok(page.includes('class="band"'));
    assert.ok(!page.includes('<script'), 'no script without a scan id');
  });

  it('says "not sealed yet" for a record not in a block, not an error', () => {
    const page = patientPage(report({ ledger: { event: { hash: 'a'.repeat(64), seq: 3, type: 'custody.received', at: '2026-01-01T00:00:00.000Z' }, status: 'not_sealed', verified: false, leafHash: 'b'.repeat(64), block: null, inclusionProof: null } }), 'n', null);
    assert.ok(page.includes('not sealed into a block yet'));
  });
});
