// The decision alone, one scenario per reason: facts in (what the database would hold), verdict out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decidePackVerdict, EMVS_CODES, PackVerdict, VERDICT_REASON_CODES, VerdictFacts, VerdictReasonCode } from './pack-verdict';

const GTIN = '09506000134352';
const PRODUCT = {
  gtin: GTIN,
  name: 'Insulin glargine 100 U/mL pen',
  activeIngredient: 'insulin glargine',
  strength: '100 U/mL',
  form: 'solution for injection',
  manufacturerId: 'helix',
  manufacturerName: 'Helix Pharma Ltd',
};
const BATCH = { lot: 'L2026A', expiresOn: '2028-01-31' };
const OTHER_BATCH = { lot: 'L2026B', expiresOn: '2028-06-30' };
const TODAY = '2026-11-27';
/** A class I recall of BATCH, as recall_batches and recalls would give it. */
const RECALL = {
  id: 'recall:2026-assay-0001',
  class: 'I' as const,
  reason: 'out-of-specification assay result',
  instructions: 'Quarantine all stock and return it to Helix Pharma Ltd.',
  notifyPatients: true,
  initiatedAt: '2026-11-26T09:00:00.000Z',
};
const AT = '2026-11-27T10:00:00.000Z';
const PHARMACY = 'central-pharmacy';

/** A pack commissioned in BATCH, active in the scanning pharmacy's custody, scanned with everything on its label. */
function facts(overrides: Partial<VerdictFacts> = {}, pack: Partial<NonNullable<VerdictFacts['pack']>> = {}): VerdictFacts {
  return {
    scanned: { gtin: GTIN, serial: 'SN0001', lot: BATCH.lot, expiry: BATCH.expiresOn },
    today: TODAY,
    product: PRODUCT,
    scannedBatch: BATCH,
    pack: { id: `sgtin:${GTIN}.SN0001`, state: 'active', topState: 'active', inTransit: false, custodianId: PHARMACY, batch: BATCH, ...pack },
    scannedBy: PHARMACY,
    recall: null,
    cloneAlert: null,
    labelSignature: 'absent',
    ...overrides,
  };
}

const decide = (f: VerdictFacts): PackVerdict => decidePackVerdict(f, AT);
const codes = (v: PackVerdict): VerdictReasonCode[] => v.reasons.map((r) => r.code);

/** The pack in a stored state: not fit, that one reason, shown as `status`. */
function inState(state: string, code: VerdictReasonCode, status: string, scannedBy: string | null = PHARMACY): PackVerdict {
  const v = decide(facts({ scannedBy }, { state }));
  assert.equal(v.fitToDispense, false);
  assert.deepEqual(codes(v), [code]);
  assert.equal(v.status, status);
  assert.equal(v.pack?.state, status);
  assert.deepEqual(v.batch, BATCH, 'every identifier matched: the batch is shown');
  return v;
}

describe('pack verdict', () => {
  it('fit: a known, active, unexpired pack scanned with its own lot and expiry', () => {
    const v = decide(facts());
    assert.deepEqual(
      [v.fitToDispense, v.status, v.reasons, v.product, v.batch, v.pack, v.checkedAt],
      [true, 'active', [], PRODUCT, BATCH, { id: `sgtin:${GTIN}.SN0001`, state: 'active', custodianId: PHARMACY }, AT],
    );
    // Lot and expiry are optional on a scan: the serial identifies the pack.
    assert.equal(decide(facts({ scanned: { gtin: GTIN, serial: 'SN0001', lot: null, expiry: null }, scannedBatch: null })).fitToDispense, true);
    // Expiring today is still in date.
    assert.equal(decide(facts({ today: BATCH.expiresOn })).fitToDispense, true);
  });

  it('UNKNOWN_PRODUCT: no product has the GTIN; nothing else is looked at', () => {
    const v = decide(facts({ product: null, scannedBatch: null, pack: null }));
    assert.deepEqual([v.fitToDispense, v.status, codes(v), v.product, v.pack], [false, 'unknown', ['UNKNOWN_PRODUCT'], undefined, undefined]);
    assert.match(v.reasons[0].message, new RegExp(GTIN));
    assert.deepEqual([v.reasons[0].emvs, v.reasons[0].nmvs], [null, 'NMVS_NC_PC_01']);
  });

  it('UNKNOWN_BATCH (A2 / NMVS_FE_LOT_03): the lot scanned is not registered for the GTIN', () => {
    const v = decide(facts({ scanned: { gtin: GTIN, serial: 'SN0001', lot: 'NOPE', expiry: null }, scannedBatch: null }));
    // The serial exists in another lot, so it is a batch mismatch as well: each reason is its own fact.
    assert.deepEqual(codes(v), ['UNKNOWN_BATCH', 'BATCH_MISMATCH']);
    assert.deepEqual([v.reasons[0].emvs, v.reasons[0].nmvs], ['A2', 'NMVS_FE_LOT_03']);
    assert.equal(v.batch, undefined, 'a label with another lot is not told the genuine one');
  });

  it('UNKNOWN_SERIAL (A3 / NMVS_NC_PC_02): the serial was never commissioned for the GTIN', () => {
    const v = decide(facts({ pack: null }));
    assert.deepEqual([v.fitToDispense, v.status, codes(v), v.product, v.pack, v.batch], [false, 'unknown', ['UNKNOWN_SERIAL'], PRODUCT, undefined, undefined]);
    assert.deepEqual([v.reasons[0].emvs, v.reasons[0].nmvs], ['A3', 'NMVS_NC_PC_02']);
    // In an unknown lot too: both.
    const both = decide(facts({ pack: null, scanned: { gtin: GTIN, serial: 'X', lot: 'NOPE', expiry: null }, scannedBatch: null }));
    assert.deepEqual(codes(both), ['UNKNOWN_SERIAL', 'UNKNOWN_BATCH']);
  });

  it('BATCH_MISMATCH (A68 / NMVS_FE_LOT_13): the serial exists, but in another (registered) lot than scanned', () => {
    const v = decide(facts({ scanned: { gtin: GTIN, serial: 'SN0001', lot: OTHER_BATCH.lot, expiry: OTHER_BATCH.expiresOn }, scannedBatch: OTHER_BATCH }));
    assert.deepEqual([v.fitToDispense, v.status, codes(v)], [false, 'active', ['BATCH_MISMATCH']]);
    assert.deepEqual([v.reasons[0].emvs, v.reasons[0].nmvs], ['A68', 'NMVS_FE_LOT_13']);
    assert.equal(v.batch, undefined);
    assert.doesNotMatch(v.reasons[0].message, new RegExp(BATCH.lot), 'the genuine lot is not named');
  });

  it('EXPIRY_MISMATCH (A52 / NMVS_FE_LOT_12): the expiry scanned is not the batch’s', () => {
    const v = decide(facts({ scanned: { gtin: GTIN, serial: 'SN0001', lot: BATCH.lot, expiry: '2028-01-30' } }));
    assert.deepEqual([v.fitToDispense, codes(v)], [false, ['EXPIRY_MISMATCH']]);
    assert.deepEqual([v.reasons[0].emvs, v.reasons[0].nmvs], ['A52', 'NMVS_FE_LOT_12']);
    assert.equal(v.batch, undefined);
    assert.doesNotMatch(v.reasons[0].message, new RegExp(BATCH.expiresOn), 'the genuine expiry is not named');
    // Without a lot, the expiry is the pack's own batch's.
    const noLot = decide(facts({ scanned: { gtin: GTIN, serial: 'SN0001', lot: null, expiry: '2029-01-31' }, scannedBatch: null }));
    assert.deepEqual(codes(noLot), ['EXPIRY_MISMATCH']);
  });

  it('EXPIRED: past the batch’s expiry date, or stored as expired', () => {
    const v = decide(facts({ today: '2028-02-01' }));
    assert.deepEqual([v.fitToDispense, v.status, codes(v)], [false, 'expired', ['EXPIRED']]);
    assert.match(v.reasons[0].message, /2028-01-31/);
    inState('expired', 'EXPIRED', 'expired');
    // Stored expired and past the date: said once.
    assert.deepEqual(codes(decide(facts({ today: '2028-02-01' }, { state: 'expired' }))), ['EXPIRED']);
  });

  it('RECALLED: set recalled with no recall row known, the generic sentence', () => {
    const v = inState('recalled', 'RECALLED', 'recalled');
    assert.match(v.reasons[0].message, /return it to its manufacturer/);
    assert.equal(v.recall, undefined);
  });

  it('RECALLED by a recall: once (state and batch agree), with the class and instructions, and the recall shown', () => {
    const v = decide(facts({ recall: RECALL }, { state: 'recalled' }));
    assert.deepEqual([v.fitToDispense, v.status, codes(v)], [false, 'recalled', ['RECALLED']]);
    assert.match(v.reasons[0].message, /class I/);
    assert.match(v.reasons[0].message, /Quarantine all stock and return it to Helix Pharma Ltd\./);
    assert.deepEqual(v.recall, RECALL);
  });

  it('RECALLED on a supplied pack: it keeps its state, and shows ALREADY_SUPPLIED and RECALLED', () => {
    const v = decide(facts({ recall: RECALL }, { state: 'supplied' }));
    assert.deepEqual([v.status, codes(v)], ['supplied', ['ALREADY_SUPPLIED', 'RECALLED']]);
    assert.deepEqual(v.recall, RECALL);
  });

  it('RECALLED while travelling back to its manufacturer: RECALLED, then IN_TRANSIT', () => {
    const v = decide(facts({ recall: RECALL }, { state: 'recalled', inTransit: true }));
    assert.deepEqual([v.status, codes(v)], ['recalled', ['RECALLED', 'IN_TRANSIT']]);
  });

  it('QUARANTINED: the pack itself, or the container it is packed in', () => {
    inState('quarantined', 'QUARANTINED', 'quarantined');
    const inPallet = decide(facts({}, { state: 'active', topState: 'quarantined' }));
    assert.deepEqual([inPallet.status, codes(inPallet)], ['quarantined', ['QUARANTINED']]);
  });

  it('ALREADY_SUPPLIED (A24 / NMVS_NC_PCK_22): here, at another location (not named), or to an anonymous scan', () => {
    const here = inState('dispensed', 'ALREADY_SUPPLIED', 'supplied');
    assert.match(here.reasons[0].message, /supplied \(dispensed\) here/);
    assert.deepEqual([here.reasons[0].emvs, here.reasons[0].nmvs], ['A24', 'NMVS_NC_PCK_22']);
    const elsewhere = inState('supplied', 'ALREADY_SUPPLIED', 'supplied', 'other-pharmacy');
    assert.match(elsewhere.reasons[0].message, /at another location/);
    assert.doesNotMatch(elsewhere.reasons[0].message, new RegExp(PHARMACY));
    const anonymous = inState('supplied', 'ALREADY_SUPPLIED', 'supplied', null);
    assert.doesNotMatch(anonymous.reasons[0].message, /here|another location/);
  });

  it('DESTROYED', () => {
    inState('destroyed', 'DESTROYED', 'destroyed');
  });

  it('STOLEN', () => {
    inState('stolen', 'STOLEN', 'stolen');
  });

  it('LOCKED', () => {
    inState('locked', 'LOCKED', 'locked');
  });

  it('EXPORTED', () => {
    inState('exported', 'EXPORTED', 'exported');
  });

  it('SAMPLE', () => {
    inState('sample', 'SAMPLE', 'sample');
  });

  it('FREE_SAMPLE', () => {
    inState('free_sample', 'FREE_SAMPLE', 'free_sample');
  });

  it('LOST', () => {
    inState('lost', 'LOST', 'lost');
  });

  it('IN_TRANSIT: shipped (itself or its container) and not received yet', () => {
    const shipped = decide(facts({}, { state: 'in_transit', inTransit: true }));
    assert.deepEqual([shipped.fitToDispense, shipped.status, codes(shipped)], [false, 'in_transit', ['IN_TRANSIT']]);
    const onPallet = decide(facts({}, { state: 'active', topState: 'in_transit', inTransit: true }));
    assert.deepEqual([onPallet.status, codes(onPallet)], ['in_transit', ['IN_TRANSIT']]);
    // A quarantined consignment still travelling: both, the hold first.
    const held = decide(facts({}, { state: 'active', topState: 'quarantined', inTransit: true }));
    assert.deepEqual([held.status, codes(held)], ['quarantined', ['QUARANTINED', 'IN_TRANSIT']]);
  });

  it('several reasons at once, each its own fact', () => {
    const v = decide(facts({ today: '2028-02-01', scanned: { gtin: GTIN, serial: 'SN0001', lot: BATCH.lot, expiry: '2027-01-31' } }, { state: 'stolen' }));
    assert.deepEqual([v.status, codes(v)], ['stolen', ['EXPIRY_MISMATCH', 'STOLEN', 'EXPIRED']]);
  });

  it('SUSPECTED_CLONE: a clone alert taken under investigation, whatever the pack’s state', () => {
    const v = decide(facts({ cloneAlert: { id: 'alert:1', kind: 'REGIONS_WITHIN_WINDOW', raisedAt: AT } }, { state: 'supplied' }));
    assert.deepEqual(codes(v), ['ALREADY_SUPPLIED', 'SUSPECTED_CLONE']);
    assert.match(v.reasons[1].message, /alert:1/);
  });

  it('BAD_SIGNATURE: the label’s signature is not the manufacturer’s; an absent one is no reason', () => {
    const bad = decide(facts({ labelSignature: 'invalid' }));
    assert.deepEqual([bad.fitToDispense, codes(bad), bad.labelSignature], [false, ['BAD_SIGNATURE'], 'invalid']);
    assert.equal(bad.batch, undefined, 'a badly signed label is not told the batch');
    assert.deepEqual(codes(decide(facts({ labelSignature: 'absent' }))), []);
    assert.deepEqual(codes(decide(facts({ labelSignature: 'valid' }))), []);
  });

  it('a label that does not match is not told the expiry date or the recall’s details', () => {
    const wrongLot = { scanned: { gtin: GTIN, serial: 'SN0001', lot: OTHER_BATCH.lot, expiry: OTHER_BATCH.expiresOn }, scannedBatch: OTHER_BATCH };
    for (const over of [wrongLot, { labelSignature: 'invalid' as const }]) {
      const v = decide(facts({ ...over, today: '2028-02-01', recall: RECALL }, { state: 'recalled' }));
      assert.ok(codes(v).includes('RECALLED') && codes(v).includes('EXPIRED'), JSON.stringify(codes(v)));
      const text = v.reasons.map((r) => r.message).join(' ');
      assert.doesNotMatch(text, new RegExp(BATCH.expiresOn), 'no expiry date');
      assert.doesNotMatch(text, new RegExp(RECALL.instructions.slice(0, 20)), 'no recall instructions');
      assert.equal(v.recall, undefined);
      assert.equal(v.batch, undefined);
    }
  });

  it('every reason code has its EMVS / NMVS mapping entry', () => {
    assert.deepEqual(Object.keys(EMVS_CODES).sort(), [...VERDICT_REASON_CODES].sort());
  });
});
