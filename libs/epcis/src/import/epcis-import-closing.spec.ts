import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EpcisImportFacts, EpcisImportPlan, ImportItemFacts, ImportShipmentFacts, planEpcisImport } from './epcis-import-mapping';

const GTIN = '09506000134352';
const DL = 'https://id.gs1.org';
const sgtin = (s: string): string => `${DL}/01/${GTIN}/21/${s}`;
const pack = (s: string): string => `sgtin:${GTIN}.${s}`;
const SSCC = '106141412345678908';
const WHOLESALER_GLN = '4012345000009';
const held = (over: Partial<ImportItemFacts> = {}): ImportItemFacts => ({ custodianId: 'me', state: 'active', parentId: null, inTransitOn: null, ...over });

interface World {
  role?: string;
  items?: Record<string, ImportItemFacts>;
  /** Open shipments to the signer: id → items. */
  incoming?: Record<string, string[]>;
  /** Shipments items travel in, as their sender or recipient sees them. */
  shipments?: Record<string, ImportShipmentFacts>;
}

function facts(w: World = {}): EpcisImportFacts {
  const key = (ids: string[]): string => [...ids].sort().join();
  return {
    signerId: 'me',
    signerRole: w.role ?? 'manufacturer',
    participantByGln: (gln) => (gln === WHOLESALER_GLN ? 'wholesaler' : null),
    batchOwner: (b) => (b === `batch:${GTIN}/L1` ? 'me' : null),
    item: (id) => w.items?.[id] ?? null,
    openShipmentWith: (ids) => Object.entries(w.incoming ?? {}).find(([, v]) => key(v) === key(ids))?.[0] ?? null,
    shipment: (id) => w.shipments?.[id] ?? null,
  };
}

const doc = (...eventList: Array<Record<string, unknown>>) => ({ epcisBody: { eventList } });
const base = { eventTime: '2026-01-10T10:00:00Z', eventTimeZoneOffset: '+00:00' };
const observe = (bizStep: string, epcs: string[], extra: Record<string, unknown> = {}) => ({ ...base, type: 'ObjectEvent', action: 'OBSERVE', bizStep, epcList: epcs, ...extra });
const destroyingEvent = (epcs: string[], extra: Record<string, unknown> = {}) => ({ ...base, type: 'ObjectEvent', action: 'DELETE', bizStep: 'destroying', disposition: 'destroyed', epcList: epcs, ...extra });
const shippingEvent = (epcs: string[]) => observe('shipping', epcs, { destinationList: [{ type: 'owning_party', destination: `${DL}/417/${WHOLESALER_GLN}` }] });
const commissioning = (epcs: string[]) => ({ ...base, type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', epcList: epcs, ilmd: { 'cbvmda:lotNumber': 'L1' } });

function refusals(plan: EpcisImportPlan): Array<[number, string]> {
  assert.ok(!plan.ok, 'the document is refused');
  return plan.refusals.map((r) => [r.index, r.code]);
}
function reasonAt(plan: EpcisImportPlan, index: number): string {
  assert.ok(!plan.ok);
  return plan.refusals.find((r) => r.index === index)?.reason ?? '';
}

describe('EPCIS import: destroying', () => {
  it('DELETE destroying (as the export writes it) of items in custody → custody.destroyed, the reason naming the EPCIS event', () => {
    const plan = planEpcisImport(doc(destroyingEvent([sgtin('A1'), `${DL}/00/${SSCC}`], { eventID: 'ni:///sha-256;abc?ver=CBV2.0' })), facts({ items: { [pack('A1')]: held(), [`sscc:${SSCC}`]: held() } }));
    assert.deepEqual(plan, {
      ok: true,
      events: 1,
      steps: [{ kind: 'destroy', index: 0, items: [pack('A1'), `sscc:${SSCC}`], reason: 'EPCIS destroying imported (eventID ni:///sha-256;abc?ver=CBV2.0), eventTime 2026-01-10T10:00:00Z' }],
    });
  });

  it('OBSERVE destroying with pt:reason records that reason; packs commissioned earlier in the document may be destroyed', () => {
    const plan = planEpcisImport(doc(commissioning([sgtin('N1')]), { ...destroyingEvent([sgtin('N1')], { 'pt:reason': 'broken in the line' }), action: 'OBSERVE' }), facts());
    assert.ok(plan.ok, JSON.stringify(plan));
    assert.deepEqual(plan.steps[1], { kind: 'destroy', index: 1, items: [pack('N1')], reason: 'broken in the line' });
  });

  it('refuses items in transit, in another custody, already final, another disposition and a bad pt:reason', () => {
    const items = { [pack('T1')]: held({ state: 'in_transit', inTransitOn: 'shipment:s1' }), [pack('O1')]: held({ custodianId: 'rival' }), [pack('D1')]: held({ state: 'destroyed' }), [pack('A1')]: held() };
    const plan = planEpcisImport(
      doc(
        destroyingEvent([sgtin('T1')]),
        destroyingEvent([sgtin('O1')]),
        destroyingEvent([sgtin('D1')]),
        destroyingEvent([sgtin('A1')], { disposition: 'damaged' }),
        destroyingEvent([sgtin('A1')], { 'pt:reason': 'two\nlines' }),
        destroyingEvent([]),
      ),
      facts({ items }),
    );
    assert.deepEqual(refusals(plan), [[0, 'EPCIS_INCONSISTENT'], [1, 'EPCIS_NOT_YOURS'], [2, 'EPCIS_INCONSISTENT'], [3, 'EPCIS_UNSUPPORTED_EVENT'], [4, 'EPCIS_UNSUPPORTED_EVENT'], [5, 'EPCIS_UNSUPPORTED_EVENT']]);
    assert.match(reasonAt(plan, 0), /is in transit/);
    assert.match(reasonAt(plan, 2), /is already destroyed/);
    assert.match(reasonAt(plan, 3), /disposition damaged/);
    assert.match(reasonAt(plan, 4), /pt:reason must be one line of plain text/);
  });

  it('nothing more happens to what an earlier event destroyed: not the container, not what it holds', () => {
    const items = { [`sscc:${SSCC}`]: held(), [pack('A1')]: held({ parentId: `sscc:${SSCC}` }) };
    const plan = planEpcisImport(doc(destroyingEvent([`${DL}/00/${SSCC}`]), shippingEvent([`${DL}/00/${SSCC}`]), destroyingEvent([sgtin('A1')])), facts({ items }));
    assert.deepEqual(refusals(plan), [[1, 'EPCIS_INCONSISTENT'], [2, 'EPCIS_INCONSISTENT']]);
    assert.match(reasonAt(plan, 1), /was made destroyed by an earlier event of this document/);
    assert.match(reasonAt(plan, 2), new RegExp(`inside sscc:${SSCC}`));
  });
});

describe('EPCIS import: void_shipping', () => {
  it('voids the shipment an earlier shipping event of the document created; the items may then be shipped again', () => {
    const plan = planEpcisImport(doc(shippingEvent([sgtin('A1')]), observe('void_shipping', [sgtin('A1')]), shippingEvent([sgtin('A1')])), facts({ items: { [pack('A1')]: held() } }));
    assert.ok(plan.ok, JSON.stringify(plan));
    assert.deepEqual(plan.steps.map((s) => s.kind), ['ship', 'void', 'ship']);
    assert.deepEqual(plan.steps[1], { kind: 'void', index: 1, shipment: null, shippedBy: 0, items: [pack('A1')], reason: 'EPCIS void_shipping imported, eventTime 2026-01-10T10:00:00Z' });
  });

  it('voids the ledger shipment the items travel in, sent by the signer; the items are the signer\'s again in later events', () => {
    const items = { [pack('A1')]: held({ state: 'in_transit', inTransitOn: 'shipment:s1' }), [pack('A2')]: held({ state: 'in_transit', inTransitOn: 'shipment:s1' }) };
    const shipments = { 'shipment:s1': { fromId: 'me', toId: 'wholesaler', state: 'in_transit', items: [pack('A2'), pack('A1')] } };
    const plan = planEpcisImport(doc(observe('void_shipping', [sgtin('A1'), sgtin('A2')], { 'pt:reason': 'wrong truck' }), destroyingEvent([sgtin('A1')])), facts({ items, shipments }));
    assert.ok(plan.ok, JSON.stringify(plan));
    assert.deepEqual(plan.steps[0], { kind: 'void', index: 0, shipment: 'shipment:s1', shippedBy: null, items: [pack('A1'), pack('A2')], reason: 'wrong truck' });
    assert.equal(plan.steps[1].kind, 'destroy');
  });

  it('refuses: the recipient voiding (refuse instead), items not in transit, part of a shipment, a closed shipment, voiding twice', () => {
    const inTransit = held({ state: 'in_transit', inTransitOn: 'shipment:s1' });
    const incoming = { [pack('I1')]: held({ custodianId: 'rival', state: 'in_transit', inTransitOn: 'shipment:in' }) };
    const items = { ...incoming, [pack('A1')]: inTransit, [pack('A2')]: inTransit, [pack('H1')]: held(), [pack('R1')]: held({ state: 'in_transit', inTransitOn: 'shipment:done' }) };
    const shipments = {
      'shipment:s1': { fromId: 'me', toId: 'wholesaler', state: 'in_transit', items: [pack('A1'), pack('A2')] },
      'shipment:in': { fromId: 'rival', toId: 'me', state: 'in_transit', items: [pack('I1')] },
      'shipment:done': { fromId: 'me', toId: 'wholesaler', state: 'received', items: [pack('R1')] },
    };
    const plan = planEpcisImport(
      doc(
        observe('void_shipping', [sgtin('I1')]),
        observe('void_shipping', [sgtin('H1')]),
        observe('void_shipping', [sgtin('A1')]),
        observe('void_shipping', [sgtin('R1')]),
        observe('void_shipping', [sgtin('A1'), sgtin('A2')]),
        observe('void_shipping', [sgtin('A1'), sgtin('A2')]),
      ),
      facts({ items, shipments }),
    );
    assert.deepEqual(refusals(plan), [[0, 'EPCIS_NOT_YOURS'], [1, 'EPCIS_INCONSISTENT'], [2, 'EPCIS_INCONSISTENT'], [3, 'EPCIS_INCONSISTENT'], [5, 'EPCIS_INCONSISTENT']]);
    assert.match(reasonAt(plan, 0), /only its sender may void it .* disposition returned/);
    assert.match(reasonAt(plan, 1), /is not in transit/);
    assert.match(reasonAt(plan, 2), /must name exactly the items of shipment:s1/);
    assert.match(reasonAt(plan, 3), /already received/);
    assert.match(reasonAt(plan, 5), /is not in transit/);
  });
});

describe('EPCIS import: refusal of a shipment (receiving, disposition returned)', () => {
  it('receiving + returned, or the export\'s pt:outcome "refused" → custody.refused of the open shipment to the signer', () => {
    const incoming = { 'shipment:s1': [`sscc:${SSCC}`], 'shipment:s2': [pack('B1')] };
    const plan = planEpcisImport(doc(observe('receiving', [`${DL}/00/${SSCC}`], { disposition: 'returned', 'pt:reason': 'seal broken' }), observe('receiving', [sgtin('B1')], { disposition: 'https://ref.gs1.org/cbv/Disp-returned' }), observe('receiving', [sgtin('B1')], { 'pt:outcome': 'refused' })), facts({ incoming }));
    assert.deepEqual(refusals(plan), [[2, 'EPCIS_INCONSISTENT']], 'a shipment is refused once');
    const ok = planEpcisImport(doc(observe('receiving', [`${DL}/00/${SSCC}`], { 'pt:outcome': 'refused' })), facts({ incoming }));
    assert.ok(ok.ok);
    assert.deepEqual(ok.steps, [{ kind: 'refuse', index: 0, shipment: 'shipment:s1', items: [`sscc:${SSCC}`], reason: 'EPCIS receiving (returned) imported, eventTime 2026-01-10T10:00:00Z' }]);
    const first = planEpcisImport(doc(observe('receiving', [`${DL}/00/${SSCC}`], { disposition: 'returned', 'pt:reason': 'seal broken' })), facts({ incoming }));
    assert.ok(first.ok);
    assert.equal(first.steps[0].kind === 'refuse' && first.steps[0].reason, 'seal broken');
  });

  it('refuses a refusal no open shipment to the signer matches, and receiving then refusing the same shipment', () => {
    const incoming = { 'shipment:s1': [pack('B1'), pack('B2')] };
    const plan = planEpcisImport(doc(observe('receiving', [sgtin('B1')], { disposition: 'returned' }), observe('receiving', [sgtin('B1'), sgtin('B2')]), observe('receiving', [sgtin('B2'), sgtin('B1')], { disposition: 'returned' })), facts({ incoming }));
    assert.deepEqual(refusals(plan), [[0, 'EPCIS_INCONSISTENT'], [2, 'EPCIS_INCONSISTENT']]);
    assert.match(reasonAt(plan, 0), /no open shipment to you carries exactly these items/);
    assert.match(reasonAt(plan, 2), /already received or refused by an earlier event/);
  });
});

describe('EPCIS import: decommissioning', () => {
  const items = { [pack('A1')]: held({ parentId: `sscc:${SSCC}` }), [pack('A2')]: held(), [pack('L1')]: held({ state: 'locked' }), [`sscc:${SSCC}`]: held() };

  it('decommissioning with pt:decommission, and holding with pt:decommission "locked" (as exported) → dispensing.decommissioned', () => {
    const plan = planEpcisImport(
      doc(observe('decommissioning', [sgtin('A1')], { disposition: 'inactive', 'pt:decommission': 'sample' }), observe('holding', [sgtin('A2')], { disposition: 'non_sellable_other', 'pt:decommission': 'locked', 'pt:reason': 'investigation 7' })),
      facts({ role: 'wholesaler', items }),
    );
    assert.ok(plan.ok, JSON.stringify(plan));
    assert.deepEqual(plan.steps, [
      { kind: 'decommission', index: 0, decommission: 'sample', packs: [pack('A1')], reason: 'EPCIS decommissioning imported, eventTime 2026-01-10T10:00:00Z' },
      { kind: 'decommission', index: 1, decommission: 'locked', packs: [pack('A2')], reason: 'investigation 7' },
    ]);
  });

  it('refuses: no or an unknown pt:decommission, a manufacturer signing, an SSCC, a pack that is not active, a pack decommissioned earlier', () => {
    const plan = planEpcisImport(
      doc(
        observe('decommissioning', [sgtin('A1')], { disposition: 'inactive' }),
        observe('decommissioning', [sgtin('A1')], { 'pt:decommission': 'destroyed' }),
        observe('decommissioning', [`${DL}/00/${SSCC}`], { 'pt:decommission': 'exported' }),
        observe('decommissioning', [sgtin('L1')], { 'pt:decommission': 'exported' }),
        observe('decommissioning', [sgtin('A2')], { 'pt:decommission': 'free_sample' }),
        destroyingEvent([sgtin('A2')]),
      ),
      facts({ role: 'pharmacy', items }),
    );
    assert.deepEqual(refusals(plan), [[0, 'EPCIS_UNSUPPORTED_EVENT'], [1, 'EPCIS_UNSUPPORTED_EVENT'], [2, 'EPCIS_UNSUPPORTED_EPC'], [3, 'EPCIS_INCONSISTENT'], [5, 'EPCIS_INCONSISTENT']]);
    assert.match(reasonAt(plan, 0), /needs "pt:decommission" .*sample, free_sample or exported/);
    assert.match(reasonAt(plan, 1), /"destroyed" is not one of sample, free_sample, exported, locked/);
    assert.match(reasonAt(plan, 3), /is locked; only an active pack can be decommissioned/);
    assert.match(reasonAt(plan, 5), /was made free_sample by an earlier event/);
    const maker = planEpcisImport(doc(observe('decommissioning', [sgtin('A2')], { 'pt:decommission': 'sample' })), facts({ role: 'manufacturer', items }));
    assert.deepEqual(refusals(maker), [[0, 'EPCIS_FORBIDDEN_ROLE']]);
    assert.match(reasonAt(maker, 0), /a manufacturer cannot decommission packs.*pharmacy or wholesaler/);
  });
});

describe('EPCIS import: what a document cannot drive', () => {
  it('holding (quarantine) is refused: set by the cold-chain evaluation, released by the manufacturer', () => {
    const plan = planEpcisImport(doc(observe('holding', [sgtin('A1')], { disposition: 'non_sellable_other' }), observe('holding', [sgtin('A1')], { disposition: 'active' })), facts({ role: 'wholesaler', items: { [pack('A1')]: held() } }));
    assert.deepEqual(refusals(plan), [[0, 'EPCIS_UNSUPPORTED_EVENT'], [1, 'EPCIS_UNSUPPORTED_EVENT']]);
    assert.match(reasonAt(plan, 0), /quarantines goods only by its own cold-chain evaluation/);
    assert.match(reasonAt(plan, 1), /only the manufacturer releases them/);
  });

  it('dispensing is refused: it needs the prescription and the pharmacist\'s scan at the counter', () => {
    const plan = planEpcisImport(doc(observe('dispensing', [sgtin('A1')], { disposition: 'dispensed' })), facts({ role: 'pharmacy', items: { [pack('A1')]: held() } }));
    assert.deepEqual(refusals(plan), [[0, 'EPCIS_UNSUPPORTED_EVENT']]);
    assert.match(reasonAt(plan, 0), /e-prescription .* scan of each pack at the counter/);
  });
});
