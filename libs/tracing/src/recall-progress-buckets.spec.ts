// Recall progress bucketing, one scenario per rule (DESIGN.md "Pack states": recalled goods may only travel
// back to their manufacturer or be destroyed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PackGroup, progressBucket, progressByCustodian } from './recall-progress-buckets';

const M = 'maker';
const g = (state: string, custodianId: string, transitTo: string | null, packs = 1): PackGroup => ({ state, custodianId, transitTo, manufacturerId: M, packs });

describe('recall progress buckets', () => {
  it('a recalled pack held by a wholesaler or pharmacy is still in the chain', () => {
    assert.equal(progressBucket(g('recalled', 'wholesaler', null)), 'inChain');
    assert.equal(progressBucket(g('quarantined', 'pharmacy', null)), 'inChain');
  });
  it('a recalled pack on its way to the batch manufacturer is in transit back; anywhere else, in transit elsewhere', () => {
    assert.equal(progressBucket(g('recalled', 'wholesaler', M)), 'inTransitToManufacturer');
    assert.equal(progressBucket(g('recalled', 'wholesaler', 'pharmacy')), 'inTransitElsewhere');
    assert.equal(progressBucket(g('in_transit', M, 'wholesaler')), 'inTransitElsewhere');
  });
  it('a recalled pack held by the manufacturer is returned', () => {
    assert.equal(progressBucket(g('recalled', M, null)), 'returned');
  });
  it('destroyed, supplied before the recall, and the rest', () => {
    assert.equal(progressBucket(g('destroyed', 'pharmacy', null)), 'destroyed');
    assert.equal(progressBucket(g('supplied', 'pharmacy', null)), 'dispensedBeforeRecall');
    assert.equal(progressBucket(g('dispensed', 'pharmacy', null)), 'dispensedBeforeRecall');
    for (const s of ['stolen', 'lost', 'exported', 'sample', 'free_sample']) assert.equal(progressBucket(g(s, 'pharmacy', null)), 'other');
  });
  it('by custodian: a regulator sees every custodian; a manufacturer its direct customers, the rest as one "elsewhere" line', () => {
    const groups = [g('recalled', 'wholesaler', null, 5), g('recalled', 'wholesaler', M, 2), g('supplied', 'pharmacy', null, 1), g('recalled', 'pharmacy', null, 3), g('recalled', M, null, 4)];
    const names = new Map([['wholesaler', { name: 'Northline', gln: '1' }], ['pharmacy', { name: 'Central', gln: '2' }], [M, { name: 'Helix', gln: '3' }]]);
    const all = progressByCustodian(groups, names, null);
    assert.deepEqual(
      { inChain: all.totals.inChain, back: all.totals.inTransitToManufacturer, returned: all.totals.returned, dispensed: all.totals.dispensedBeforeRecall, total: all.totals.total },
      { inChain: 8, back: 2, returned: 4, dispensed: 1, total: 15 },
    );
    assert.deepEqual(all.byCustodian.map((c) => [c.participantId, c.total]), [['wholesaler', 7], [M, 4], ['pharmacy', 4]]);
    const maker = progressByCustodian(groups, names, new Set([M, 'wholesaler']));
    assert.deepEqual(maker.totals, all.totals);
    assert.deepEqual(maker.byCustodian.map((c) => [c.participantId, c.name, c.total]), [['wholesaler', 'Northline', 7], [M, 'Helix', 4], [null, 'elsewhere', 4]]);
    const elsewhere = maker.byCustodian[2];
    assert.deepEqual([elsewhere.inChain, elsewhere.dispensedBeforeRecall, elsewhere.gln], [3, 1, null]);
  });
});
