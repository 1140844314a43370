import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EpcisImportFacts, ImportItemFacts, planEpcisImport } from './epcis-import-mapping';

const GTIN = '09506000134352';
const DL = 'https://id.gs1.org';
const sgtin = (s: string): string => `${DL}/01/${GTIN}/21/${s}`;
const SSCC = '106141412345678908';
const mine = (parentId: string | null = null): ImportItemFacts => ({ custodianId: 'maker', state: 'active', parentId, inTransitOn: null });

function facts(items: Record<string, ImportItemFacts> = {}, shipments: Record<string, string[]> = {}): EpcisImportFacts {
  return {
    signerId: 'maker',
    signerRole: 'manufacturer',
    participantByGln: (gln) => (gln === '4012345000009' ? 'wholesaler' : null),
    batchOwner: (b) => (b === `batch:${GTIN}/L1` ? 'maker' : b === `batch:${GTIN}/OTHER` ? 'rival' : null),
    item: (id) => items[id] ?? null,
    openShipmentWith: (ids) => Object.entries(shipments).find(([, v]) => [...v].sort().join() === [...ids].sort().join())?.[0] ?? null,
    shipment: () => null,
  };
}
const doc = (...eventList: Array<Record<string, unknown>>) => ({ epcisBody: { eventList } });
const base = { eventTime: '2026-01-10T10:00:00Z', eventTimeZoneOffset: '+00:00' };
const commissioning = (lot = 'L1', epcs = [sgtin('A1'), sgtin('A2')]) => ({ ...base, type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', epcList: epcs, ilmd: { 'cbvmda:lotNumber': lot } });
const packing = (children: string[]) => ({ ...base, type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', parentID: `${DL}/00/${SSCC}`, childEPCs: children });
const shipping = (epcs: string[], gln = '4012345000009') => ({
  ...base, type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', epcList: epcs, destinationList: [{ type: 'owning_party', destination: `${DL}/417/${gln}` }],
});

describe('EPCIS import mapping', () => {
  it('commissioning ADD with SGTINs and an ILMD lot → commissionPacks into the registered batch (EPC URIs too)', () => {
    const plan = planEpcisImport(doc(commissioning('L1', [sgtin('A1'), `urn:epc:id:sgtin:9506000.013435.A2`])), facts());
    assert.deepEqual(plan, { ok: true, events: 1, steps: [{ kind: 'commission', index: 0, batch: `batch:${GTIN}/L1`, serials: ['A1', 'A2'] }] });
  });

  it('commissioning ADD by quantityList of a registered batch class → commissionPacks of generated serials', () => {
    const e = { ...base, type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', epcList: [], quantityList: [{ epcClass: `${DL}/01/${GTIN}/10/L1`, quantity: 3 }] };
    assert.deepEqual(planEpcisImport(doc(e), facts()), { ok: true, events: 1, steps: [{ kind: 'commission', index: 0, batch: `batch:${GTIN}/L1`, serials: [], generate: 3 }] });
    const big = planEpcisImport(doc({ ...e, quantityList: [{ epcClass: `${DL}/01/${GTIN}/10/L1`, quantity: 10_001 }] }), facts());
    assert.ok(!big.ok);
    assert.equal(big.refusals[0].code, 'EPCIS_UNSUPPORTED_EVENT');
  });

  it('commission → pack into a new SSCC → ship to a registered GLN, chained in one plan', () => {
    const plan = planEpcisImport(doc(commissioning(), packing([sgtin('A1'), sgtin('A2')]), shipping([`${DL}/00/${SSCC}`])), facts());
    assert.ok(plan.ok);
    assert.deepEqual(plan.steps.map((s) => s.kind), ['commission', 'pack', 'ship']);
    assert.deepEqual(plan.steps[1], { kind: 'pack', index: 1, container: `sscc:${SSCC}`, containerKind: 'case', contents: [`sgtin:${GTIN}.A1`, `sgtin:${GTIN}.A2`], newContainer: true });
    assert.deepEqual(plan.steps[2], { kind: 'ship', index: 2, to: 'wholesaler', items: [`sscc:${SSCC}`] });
  });

  it('unpacking DELETE of packs the container holds → unpack', () => {
    const items = { [`sscc:${SSCC}`]: mine(), [`sgtin:${GTIN}.A1`]: mine(`sscc:${SSCC}`) };
    const plan = planEpcisImport(doc({ ...base, type: 'AggregationEvent', action: 'DELETE', bizStep: 'unpacking', parentID: `${DL}/00/${SSCC}`, childEPCs: [sgtin('A1')] }), facts(items));
    assert.deepEqual(plan, { ok: true, events: 1, steps: [{ kind: 'unpack', index: 0, container: `sscc:${SSCC}`, contents: [`sgtin:${GTIN}.A1`] }] });
  });

  it('receiving → the open shipment to the signer that carries exactly those items', () => {
    const plan = planEpcisImport(doc({ ...base, type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', epcList: [`${DL}/00/${SSCC}`] }), facts({}, { 'shipment:s1': [`sscc:${SSCC}`] }));
    assert.deepEqual(plan, { ok: true, events: 1, steps: [{ kind: 'receive', index: 0, shipment: 'shipment:s1', items: [`sscc:${SSCC}`] }] });
  });

  it('Temperature sensor reports (FAH converted) of an item in custody → readings', () => {
    const e = { ...base, type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'sensor_reporting', epcList: [sgtin('A1')], sensorElementList: [{ sensorReport: [{ type: 'gs1:MeasurementType-Temperature', value: 41, uom: 'FAH', time: '2026-01-10T10:00:00Z' }, { type: 'Temperature', value: 5.5, uom: 'CEL', time: '2026-01-10T10:05:00Z' }] }] };
    const plan = planEpcisImport(doc(e), facts({ [`sgtin:${GTIN}.A1`]: mine() }));
    assert.deepEqual(plan, { ok: true, events: 1, steps: [{ kind: 'readings', index: 0, subject: `sgtin:${GTIN}.A1`, readings: [{ at: '2026-01-10T10:00:00.000Z', celsius: 5 }, { at: '2026-01-10T10:05:00.000Z', celsius: 5.5 }] }] });
  });

  it('refuses by index: unsupported types, unknown batch, a rival batch, unknown GLN, other EPCs', () => {
    const plan = planEpcisImport(
      doc(
        { ...base, type: 'TransactionEvent', action: 'ADD', bizStep: 'shipping', bizTransactionList: [], epcList: [sgtin('A1')] },
        commissioning('NOPE'),
        commissioning('OTHER'),
        shipping([sgtin('A1')], '9999999999994'),
        { ...base, type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', epcList: ['urn:epc:id:giai:952005385.w2'], destinationList: [{ type: 'owning_party', destination: `${DL}/417/4012345000009` }] },
      ),
      facts(),
    );
    assert.ok(!plan.ok);
    assert.deepEqual(plan.refusals.map((r) => [r.index, r.code]), [[0, 'EPCIS_UNSUPPORTED_EVENT'], [1, 'EPCIS_UNKNOWN_BATCH'], [2, 'EPCIS_NOT_YOURS'], [3, 'EPCIS_UNKNOWN_PARTY'], [4, 'EPCIS_UNSUPPORTED_EPC']]);
    assert.match(plan.refusals[3].reason, /GLN 9999999999994 is not a registered participant/);
  });

  it('refuses inconsistencies on the client: packing an item twice, shipping what the document just shipped, another custody', () => {
    const twice = planEpcisImport(doc(commissioning(), packing([sgtin('A1')]), packing([sgtin('A1')])), facts());
    assert.ok(!twice.ok);
    assert.deepEqual(twice.refusals.map((r) => [r.index, r.code]), [[2, 'EPCIS_INCONSISTENT']]);
    const reship = planEpcisImport(doc(commissioning(), shipping([sgtin('A1')]), shipping([sgtin('A1')])), facts());
    assert.ok(!reship.ok);
    assert.match(reship.refusals[0].reason, /shipped by an earlier event of this document/);
    const theirs = planEpcisImport(doc(shipping([sgtin('B1')])), facts({ [`sgtin:${GTIN}.B1`]: { ...mine(), custodianId: 'wholesaler' } }));
    assert.ok(!theirs.ok);
    assert.equal(theirs.refusals[0].code, 'EPCIS_NOT_YOURS');
  });
});
