// Recall progress bucketing, one scenario per rule (DESIGN.md "Pack states": recalled goods may only travel
// back to their manufacturer or be destroyed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, PackGroup, progressBucket, progressByCustodian } from './recall-progress-buckets';

const M = 'maker';
const g = (state: string, custodianId: string, transitTo: string | null, packs = 1, over: Partial<PackGroup> = {}): PackGroup => ({
  state, custodianId, transitTo, manufacturerId: M, leftManufacturer: false, shippedToCustodian: false, packs, ...over,
});
const direct = { shippedToCustodian: true };

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
  it('a recalled pack held by the manufacturer is returned when it had left it, never shipped otherwise', () => {
    assert.equal(progressBucket(g('recalled', M, null, 1, { leftManufacturer: true })), 'returned');
    assert.equal(progressBucket(g('recalled', M, null)), 'neverShipped');
    assert.equal(progressBucket(g('active', M, null)), 'neverShipped');
  });
  it('destroyed, supplied before the recall, and the rest', () => {
    assert.equal(progressBucket(g('destroyed', 'pharmacy', null)), 'destroyed');
    assert.equal(progressBucket(g('destroyed', M, null, 1, { leftManufacturer: true })), 'destroyed');
    assert.equal(progressBucket(g('supplied', 'pharmacy', null)), 'dispensedBeforeRecall');
    assert.equal(progressBucket(g('dispensed', 'pharmacy', null)), 'dispensedBeforeRecall');
    for (const s of ['stolen', 'lost', 'exported', 'sample', 'free_sample']) assert.equal(progressBucket(g(s, 'pharmacy', null)), 'other');
  });

  it('a direct customer’s line: only packs the manufacturer shipped to it itself and it still holds', () => {
    const view = { self: M, customers: new Set(['pharmacy', 'wholesaler']) };
    assert.equal(lineOf(g('recalled', 'pharmacy', null, 1, direct), view), 'pharmacy');
    assert.equal(lineOf(g('recalled', 'pharmacy', M, 1, direct), view), 'pharmacy', 'on its way back to the manufacturer: still its own');
    assert.equal(lineOf(g('recalled', 'pharmacy', null), view), null, 'bought from someone else');
    assert.equal(lineOf(g('recalled', 'pharmacy', 'wholesaler', 1, direct), view), null, 'being sold on');
    for (const s of ['supplied', 'destroyed', 'stolen', 'exported']) assert.equal(lineOf(g(s, 'pharmacy', null, 1, direct), view), null, `${s}: no longer held`);
    assert.equal(lineOf(g('recalled', 'stranger', null, 1, direct), view), null, 'not a direct customer');
    assert.equal(lineOf(g('destroyed', M, null), view), M, 'the manufacturer’s own line: all it holds');
    assert.equal(lineOf(g('supplied', 'stranger', null), null), 'stranger', 'a regulator sees every custodian');
  });

  it('by custodian: a regulator sees every custodian; a manufacturer its direct customers’ own packs, the rest as one "elsewhere" line', () => {
    const groups = [
      g('recalled', 'wholesaler', null, 5, direct),
      g('recalled', 'wholesaler', M, 2, direct),
      g('recalled', 'wholesaler', null, 6), // bought from another wholesaler
      g('supplied', 'pharmacy', null, 1),
      g('recalled', 'pharmacy', null, 3),
      g('recalled', M, null, 4, { leftManufacturer: true }),
      g('recalled', M, null, 2),
    ];
    const names = new Map([['wholesaler', { name: 'Northline', gln: '1' }], ['pharmacy', { name: 'Central', gln: '2' }], [M, { name: 'Helix', gln: '3' }]]);
    const all = progressByCustodian(groups, names, null);
    assert.deepEqual(
      { inChain: all.totals.inChain, back: all.totals.inTransitToManufacturer, returned: all.totals.returned, never: all.totals.neverShipped, dispensed: all.totals.dispensedBeforeRecall, total: all.totals.total },
      { inChain: 14, back: 2, returned: 4, never: 2, dispensed: 1, total: 23 },
    );
    assert.deepEqual(all.byCustodian.map((c) => [c.participantId, c.total]), [['wholesaler', 13], [M, 6], ['pharmacy', 4]]);
    assert.equal(all.byCustodianOmitted, 0);
    const maker = progressByCustodian(groups, names, { self: M, customers: new Set(['wholesaler']) });
    assert.deepEqual(maker.totals, all.totals);
    assert.deepEqual(maker.byCustodian.map((c) => [c.participantId, c.name, c.total]), [['wholesaler', 'Northline', 7], [M, 'Helix', 6], [null, 'elsewhere', 10]]);
    const elsewhere = maker.byCustodian[2];
    assert.deepEqual([elsewhere.inChain, elsewhere.dispensedBeforeRecall, elsewhere.gln], [9, 1, null]);
  });

  it('by custodian is capped: the lines with the most packs, the rest counted as omitted; the totals and "elsewhere" cover everything', () => {
    const groups = [g('recalled', 'a', null, 1), g('recalled', 'b', null, 3), g('recalled', 'c', null, 2), g('recalled', 'd', null, 2), g('recalled', 'e', null, 9)];
    const capped = progressByCustodian(groups, new Map(), null, 3);
    assert.deepEqual(capped.byCustodian.map((c) => c.participantId), ['e', 'b', 'c']);
    assert.equal(capped.byCustodianOmitted, 2);
    assert.equal(capped.totals.total, 17);
    const view = { self: M, customers: new Set(['a', 'b', 'c', 'd']) };
    const own = progressByCustodian(groups.map((x) => ({ ...x, shippedToCustodian: true })), new Map(), view, 2);
    assert.deepEqual(own.byCustodian.map((c) => [c.participantId, c.total]), [['b', 3], ['c', 2], [null, 9]]);
    assert.equal(own.byCustodianOmitted, 2);
  });
});
