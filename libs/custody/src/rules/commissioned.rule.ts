import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { SERIAL_PATTERN } from '@pharmatrace/gs1';
import { recallNoticesOfBatches } from '@pharmatrace/recalls/recall-facts';
import { alreadyRegisteredMessage, CommissionedData, CustodyEventTypes, implicitAssetsOf, MAX_SERIALS_PER_EVENT, parseBatchAssetId } from '../custody-events';

/**
 * A manufacturer commissions serialised packs of its batch: up to 1,000 serials an event (100,000 packs
 * are 100 events in one atomic batch). The packs are created in bulk; each pack's chain starts here.
 */
export const commissionedRule: EventRule<CommissionedData> = {
  type: CustodyEventTypes.commissioned,
  roles: ['manufacturer'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const batch = r.string('batch', { max: 80 });
    if (!parseBatchAssetId(batch)) throw new DomainError('INVALID_EVENT_DATA', 'data.batch must be a batch asset id (batch:<gtin14>/<lot>).');
    const serials = r.stringArray('serials', { min: 1, max: MAX_SERIALS_PER_EVENT });
    r.done();
    const bad = serials.findIndex((s) => !SERIAL_PATTERN.test(s));
    if (bad >= 0) throw new DomainError('INVALID_SERIAL', `data.serials[${bad}] "${serials[bad]}" is not a GS1 AI (21) serial (1–20 characters of the GS1 set).`);
    if (event.assets.length !== 1 || event.assets[0].id !== batch) {
      throw new DomainError('INVALID_EVENT_DATA', `This event must list exactly one asset, ${batch}, with its prev.`);
    }
    return { ...event, data: { v: 1, batch, serials } } as EventEnvelope<CommissionedData>;
  },
  implicitAssets: (event) => implicitAssetsOf(event),
  alreadyRegistered: alreadyRegisteredMessage,
  async apply({ manager: m, event, seq, signer, now }) {
    const { batch, serials } = event.data;
    const rows: Array<{ manufacturer_id: string; gtin: string; quantity: number; commissioned: number; expires_on: string }> = await m.query(
      `SELECT manufacturer_id, gtin, quantity, commissioned, to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM batches WHERE id = $1 FOR UPDATE`,
      [batch],
    );
    const b = rows[0];
    if (!b) throw new DomainError('UNKNOWN_BATCH', `No batch ${batch} is registered.`);
    if (b.manufacturer_id !== signer.participantId) throw new DomainError('NOT_PRODUCT_OWNER', `Batch ${batch} belongs to ${b.manufacturer_id}.`);
    // A recalled batch is final (DESIGN.md "Pack states"): no new packs of it may enter the supply chain.
    const recall = (await recallNoticesOfBatches(m, [batch])).get(batch);
    if (recall) {
      throw new DomainError('BATCH_RECALLED', `Batch ${batch} is recalled (${recall.id}, class ${recall.class}: ${recall.reason}); no more packs can be commissioned into it — register a new batch.`, { batch, recall: recall.id });
    }
    const today = now.toISOString().slice(0, 10);
    if (b.expires_on < today) {
      throw new DomainError('ALREADY_EXPIRED', `Batch ${batch} expired on ${b.expires_on}; packs of an expired batch cannot be commissioned.`, { expiresOn: b.expires_on });
    }
    if (b.commissioned + serials.length > b.quantity) {
      throw new DomainError('BATCH_QUANTITY_EXCEEDED', `Batch ${batch} has ${b.quantity - b.commissioned} packs left to commission; this event has ${serials.length}.`);
    }
    const ids = implicitAssetsOf(event);
    // One multi-row insert for the whole event: bulk, never a row per round trip.
    await m.query(
      `INSERT INTO custody_items (id, kind, gtin, serial, batch_id, custodian_id, state, created_seq, updated_seq)
       SELECT id, 'pack', $3, serial, $4, $5, 'active', $6, $6 FROM unnest($1::text[], $2::text[]) AS t(id, serial)`,
      [ids, serials, b.gtin, batch, signer.participantId, seq],
    );
    await m.query('UPDATE batches SET commissioned = commissioned + $2 WHERE id = $1', [batch, serials.length]);
    return { batch, packs: serials.length };
  },
};
