import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEnvelope } from '@pharmatrace/ledger-core';
import { assetIdOfEpc, epcOf } from './epcis-identifiers';
import { EpcisMappingLookups, toEpcisEvent } from './epcis-event-mapping';

const GTIN = '09506000134352';
const MAKER = { id: 'maker', gln: '9506000000019' };
const PHARMACY = { id: 'pharmacy', gln: '9506000000026' };
const look: EpcisMappingLookups = {
  glnOf: (id) => [MAKER, PHARMACY].find((p) => p.id === id)?.gln ?? null,
  shipment: (id) => (id === 'shipment:s-00000001' ? { fromId: MAKER.id, toId: PHARMACY.id, items: ['sscc:095060001343520001'] } : null),
};
const pack = (s: string): string => `https://id.gs1.org/01/${GTIN}/21/${s}`;

function mapped(type: string, data: Record<string, unknown>, actor = MAKER.id, assets: EventEnvelope['assets'] = []): Record<string, unknown> {
  const event: EventEnvelope = { type, id: 'e1', actor, kid: 'k1', at: '2026-03-01T10:00:00.000Z', assets, data: { v: 1, ...data } };
  const out = toEpcisEvent({ seq: 7, hash: 'a'.repeat(64), event }, look);
  assert.ok(out, `${type} maps to an EPCIS event`);
  return out;
}

describe('EPCIS 2.0 mapping of ledger events', () => {
  it('commissioning: an ObjectEvent ADD of the packs as Digital Link EPCs, active, at the signer’s GLN, with pt:seq and pt:hash', () => {
    const e = mapped('custody.commissioned', { batch: `batch:${GTIN}/L1`, serials: ['S1', 'S2'] });
    assert.equal(e.type, 'ObjectEvent');
    assert.equal(e.action, 'ADD');
    assert.deepEqual(e.epcList, [pack('S1'), pack('S2')]);
    assert.equal(e.bizStep, 'commissioning');
    assert.equal(e.disposition, 'active');
    assert.equal(e.eventTimeZoneOffset, '+00:00');
    assert.deepEqual(e.readPoint, { id: 'https://id.gs1.org/414/9506000000019' });
    assert.equal(e['pt:seq'], 7);
    assert.equal(e['pt:hash'], 'a'.repeat(64));
  });

  it('commissioning carries the lot as CBV master data (cbvmda:lotNumber), which an SGTIN does not hold', () => {
    const e = mapped('custody.commissioned', { batch: `batch:${GTIN}/LOT-2026/A`, serials: ['S1'] });
    assert.deepEqual(e.ilmd, { 'cbvmda:lotNumber': 'LOT-2026/A' });
  });

  it('a batch registration: commissioning of the batch class as a quantityList, with its lot and expiry date', () => {
    const e = mapped('catalog.batch_registered', { batch: { gtin: GTIN, lot: 'L1', manufacturedOn: '2026-01-01', expiresOn: '2028-01-01', quantity: 500 }, ingredientLots: [] });
    assert.deepEqual(e.quantityList, [{ epcClass: `https://id.gs1.org/01/${GTIN}/10/L1`, quantity: 500 }]);
    assert.deepEqual(e.ilmd, { 'cbvmda:lotNumber': 'L1', 'cbvmda:itemExpirationDate': '2028-01-01' });
  });

  it('packing and unpacking: AggregationEvents ADD / DELETE with the SSCC as parentID', () => {
    const p = mapped('custody.packed', { container: { id: 'sscc:095060001343520001', kind: 'case' }, contents: [`sgtin:${GTIN}.S1`] });
    assert.deepEqual([p.type, p.action, p.bizStep, p.parentID, p.childEPCs], ['AggregationEvent', 'ADD', 'packing', 'https://id.gs1.org/00/095060001343520001', [pack('S1')]]);
    const u = mapped('custody.unpacked', { container: 'sscc:095060001343520001', contents: [`sgtin:${GTIN}.S1`] });
    assert.deepEqual([u.type, u.action, u.bizStep], ['AggregationEvent', 'DELETE', 'unpacking']);
  });

  it('shipping and receiving: source and destination as owning and possessing party GLNs (AI 417)', () => {
    const s = mapped('custody.shipped', { shipment: 'shipment:s-00000001', to: PHARMACY.id, items: ['sscc:095060001343520001'] });
    assert.deepEqual([s.bizStep, s.disposition], ['shipping', 'in_transit']);
    assert.deepEqual(s.destinationList, [
      { type: 'owning_party', destination: 'https://id.gs1.org/417/9506000000026' },
      { type: 'possessing_party', destination: 'https://id.gs1.org/417/9506000000026' },
    ]);
    const r = mapped('custody.received', { shipment: 'shipment:s-00000001' }, PHARMACY.id);
    assert.deepEqual([r.bizStep, r.disposition, r.epcList], ['receiving', 'active', ['https://id.gs1.org/00/095060001343520001']]);
    assert.deepEqual((r.sourceList as Array<{ source: string }>)[0].source, 'https://id.gs1.org/417/9506000000019');
    assert.deepEqual(r.bizLocation, { id: 'https://id.gs1.org/414/9506000000026' });
  });

  it('temperature readings: sensorElementList with Temperature reports in CEL at absolute times', () => {
    const e = mapped('coldchain.readings_recorded', { subject: 'sscc:095060001343520001', start: '2026-03-01T08:00:00Z', readings: [[0, 4.5], [600, 5]] });
    assert.equal(e.bizStep, 'sensor_reporting');
    assert.deepEqual(e.sensorElementList, [
      {
        sensorReport: [
          { type: 'Temperature', value: 4.5, uom: 'CEL', time: '2026-03-01T08:00:00.000Z' },
          { type: 'Temperature', value: 5, uom: 'CEL', time: '2026-03-01T08:10:00.000Z' },
        ],
      },
    ]);
  });

  it('dispensing: the packs only, never the prescription or the patient pseudonym', () => {
    const e = mapped('dispensing.supplied', { prescription: 'rx-123', patient: 'pseudo-abc', packs: [`sgtin:${GTIN}.S1`] }, PHARMACY.id);
    assert.deepEqual([e.bizStep, e.disposition, e.epcList], ['dispensing', 'dispensed', [pack('S1')]]);
    const text = JSON.stringify(e);
    assert.ok(!text.includes('rx-123') && !text.includes('pseudo-abc'));
  });

  it('decommissioning, destroying, stolen, quarantine', () => {
    const d = mapped('dispensing.decommissioned', { kind: 'sample', packs: [`sgtin:${GTIN}.S1`], reason: 'x' }, PHARMACY.id);
    assert.deepEqual([d.bizStep, d.disposition], ['decommissioning', 'inactive']);
    const x = mapped('custody.destroyed', { items: [`sgtin:${GTIN}.S1`], reason: 'broken' });
    assert.deepEqual([x.action, x.bizStep, x.disposition], ['DELETE', 'destroying', 'destroyed']);
    assert.equal(mapped('custody.reported_stolen', { items: [`sgtin:${GTIN}.S1`], reason: 'x' }).disposition, 'stolen');
    const q = mapped('coldchain.quarantined', { items: [`sgtin:${GTIN}.S1`], reason: 'x', evaluation: {} });
    assert.deepEqual([q.bizStep, q.disposition], ['holding', 'non_sellable_other']);
  });

  it('types with no EPCIS counterpart map to nothing', () => {
    const event: EventEnvelope = { type: 'prescription.issued', id: 'e', actor: MAKER.id, kid: 'k', at: '2026-03-01T10:00:00Z', assets: [], data: { v: 1 } };
    assert.equal(toEpcisEvent({ seq: 1, hash: 'b'.repeat(64), event }, look), null);
  });

  it('Digital Link EPCs round-trip to asset ids', () => {
    for (const id of [`sgtin:${GTIN}.A%B/1`, 'sscc:095060001343520001']) assert.equal(assetIdOfEpc(epcOf(id) ?? ''), id);
    assert.equal(assetIdOfEpc('urn:epc:id:sgtin:0614141.107346.2018'), null);
  });
});
