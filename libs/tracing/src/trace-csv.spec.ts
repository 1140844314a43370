// Tracing CSV reports: RFC 4180 quoting by csv-stringify, read back by csv-parse as a spreadsheet would.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { custodyPeriods } from './backward-trace.service';
import { backwardTraceCsv, FORWARD_CSV_COLUMNS, forwardTraceCsv, recallProgressCsv } from './trace-csv';
import { emptyCounts } from './recall-progress-buckets';
import { TracedPack, TracedPackShipment } from './trace-views';

const pack = (id: string, over: Partial<TracedPack> = {}): TracedPack => ({
  id, batchId: 'batch:09501101530008/L1', gtin: '09501101530008', lot: 'L1', state: 'active', custodianId: 'northline', custodianName: 'Northline, "North" Ltd',
  custodianGln: '7612345000015', containerId: null, outermostContainerId: null, shipmentId: null, shipmentFromId: null, shipmentToId: null, shippedAt: null, ...over,
});

describe('tracing CSV', () => {
  it('forward: one row per pack, the header on the first page only, commas and quotes escaped, the dispense joined by pack', () => {
    const dispense = { packId: 'sgtin:09501101530008.B', pharmacyId: 'central', pharmacyName: 'Central\nPharmacy', pharmacyGln: '7612345000022', dispensedAt: '2026-03-01T10:00:00.000Z', prescriptionId: 'rx-1', patientPseudonym: 'a'.repeat(64) };
    const first = forwardTraceCsv({ packs: [pack('sgtin:09501101530008.A'), pack('sgtin:09501101530008.B', { state: 'supplied' })], dispenses: [dispense] }, true);
    const rows = parse(first) as string[][];
    assert.deepEqual(rows[0], [...FORWARD_CSV_COLUMNS]);
    assert.equal(rows.length, 3);
    assert.equal(rows[1][6], 'Northline, "North" Ltd');
    assert.equal(rows[1][14], '');
    assert.deepEqual(rows[2].slice(14), ['central', 'Central\nPharmacy', '7612345000022', '2026-03-01T10:00:00.000Z', 'rx-1', 'a'.repeat(64)]);
    const next = parse(forwardTraceCsv({ packs: [pack('sgtin:09501101530008.C')], dispenses: [] }, false)) as string[][];
    assert.deepEqual(next.map((r) => r[0]), ['sgtin:09501101530008.C']);
  });

  it('recall progress: one row per custodian line, then the totals', () => {
    const line = { participantId: 'northline', name: 'Northline', gln: '1', ...emptyCounts(), inChain: 3, total: 3 };
    const csv = recallProgressCsv({
      recallId: 'recall:r-00000001', class: 'I', state: 'open', reason: 'assay', initiatorId: 'reg', initiatedAt: '2026-03-01T00:00:00.000Z', batches: [],
      totals: { ...emptyCounts(), inChain: 3, total: 3 }, byCustodian: [line], holders: [], elsewhereHolders: null,
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
      packId: 'sgtin:1', state: null, ingredientLots: [], shipments: [], temperatureVerdicts: [],
      custodians: periods.map((p) => ({ ...p, name: p.participantId, gln: '' })),
      batch: { id: 'batch:1/L', gtin: '1', lot: 'L', productName: 'P', manufacturedOn: '2026-01-01', expiresOn: '2028-01-01', manufacturerId: 'maker', manufacturerName: 'M', manufacturerGln: '3' },
    });
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(rows.map((r) => r.section), ['batch', 'custodian', 'custodian']);
  });
});
