import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEnvelope } from '@pharmatrace/ledger-core';
import { validateEpcisDocument } from '../epcis-schema';
import { epcisEventHashId } from '../event-hash-id';
import { EpcisMappingLookups, isExportedType } from './epcis-event-mapping';
import { epcisDocument, toEpcisEvents } from './epcis-document';

const GTIN = '09506000134352';
const P = `sgtin:${GTIN}.S1`;
const SSCC = 'sscc:095060001343520001';
const look: EpcisMappingLookups = {
  glnOf: (id) => ({ maker: '9506000000019', pharmacy: '9506000000026' })[id] ?? null,
  shipment: () => ({ fromId: 'maker', toId: 'pharmacy', items: [SSCC] }),
};
const DATA: Record<string, Record<string, unknown>> = {
  'catalog.batch_registered': { batch: { gtin: GTIN, lot: 'L1', manufacturedOn: '2026-01-01', expiresOn: '2028-01-01', quantity: 10 }, ingredientLots: [] },
  'custody.commissioned': { batch: `batch:${GTIN}/L1`, serials: ['S1'] },
  'custody.packed': { container: { id: SSCC, kind: 'case' }, contents: [P] },
  'custody.unpacked': { container: SSCC, contents: [P] },
  'custody.shipped': { shipment: 'shipment:s-00000001', to: 'pharmacy', items: [SSCC] },
  'custody.received': { shipment: 'shipment:s-00000001' },
  'custody.refused': { shipment: 'shipment:s-00000001', reason: 'damaged' },
  'custody.shipping_voided': { shipment: 'shipment:s-00000001', reason: 'wrong address' },
  'custody.destroyed': { items: [P], reason: 'broken' },
  'custody.reported_stolen': { items: [P], reason: 'break-in' },
  'custody.reported_lost': { items: [P], reason: 'lost' },
  'coldchain.readings_recorded': { subject: 'shipment:s-00000001', start: '2026-03-01T08:00:00Z', readings: [[0, 4], [60, 5]] },
  'coldchain.quarantined': { items: [P], reason: 'excursion', evaluation: {} },
  'coldchain.released': { items: [P], reason: 'stable' },
  'dispensing.supplied': { prescription: 'rx', patient: 'p', packs: [P] },
  'dispensing.decommissioned': { kind: 'locked', packs: [P], reason: 'investigation' },
  'dispensing.undone': { undoes: 'c'.repeat(64), packs: [P] },
};

describe('EPCISDocument of ledger events', () => {
  it('every exported event type gives a document that validates against the official EPCIS 2.0 JSON Schema, eventIDs as CBV 2.0 hash IDs', () => {
    const stored = Object.entries(DATA).map(([type, data], i) => {
      assert.ok(isExportedType(type), type);
      const event: EventEnvelope = { type, id: `e${i}`, actor: 'maker', kid: 'k', at: '2026-03-01T10:00:00Z', assets: [], data: { v: 1, ...data } };
      return { seq: i + 1, hash: String(i).padStart(64, '0'), event };
    });
    const doc = epcisDocument(toEpcisEvents(stored, look), new Date('2026-03-02T00:00:00Z'));
    assert.equal(doc.epcisBody.eventList.length, stored.length);
    assert.deepEqual(validateEpcisDocument(doc), { ok: true });
    for (const e of doc.epcisBody.eventList) {
      assert.match(String(e.eventID), /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      assert.equal(e.eventID, epcisEventHashId(e, doc['@context']));
    }
  });
});
