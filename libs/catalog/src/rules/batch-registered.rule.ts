import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { normalizeGtin } from '@pharmatrace/gs1';
import { batchAssetId, BatchRegisteredData, CatalogEventTypes, productAssetId } from '@pharmatrace/custody/custody-events';
import { requireCustodian, requireItems, setState } from '@pharmatrace/custody/custody-item.store';

const LOT = /^[A-Za-z0-9._-]{1,20}$/; // GS1 AI (10) is up to 20 characters

/**
 * A manufacturer registers a batch of its product, consuming ingredient lots it holds. The event chains on
 * the new batch, the product, and every consumed lot (their custody ends here).
 */
export const batchRegisteredRule: EventRule<BatchRegisteredData> = {
  type: CatalogEventTypes.batchRegistered,
  roles: ['manufacturer'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const b = r.object('batch');
    const rawGtin = b.string('gtin', { max: 14 });
    const gtin = normalizeGtin(rawGtin);
    if (!gtin || gtin !== rawGtin) throw new DomainError('INVALID_GTIN', `GTIN ${rawGtin} must be 14 digits with a valid check digit.`);
    const batch = {
      gtin,
      lot: b.string('lot', { pattern: LOT, hint: 'must be 1–20 letters, digits, ".", "_" or "-" (GS1 AI 10)' }),
      manufacturedOn: b.date('manufacturedOn'),
      expiresOn: b.date('expiresOn'),
      quantity: b.integer('quantity', { min: 1, max: 10_000_000 }),
    };
    b.done();
    const ingredientLots = r.stringArray('ingredientLots', { max: 50, pattern: /^ingredient-lot:/, hint: 'must be an ingredient lot asset id' });
    r.done();
    if (batch.expiresOn <= batch.manufacturedOn) throw new DomainError('INVALID_EVENT_DATA', 'data.batch.expiresOn must be after manufacturedOn.');
    const expected = [batchAssetId(gtin, batch.lot), productAssetId(gtin), ...ingredientLots];
    const listed = event.assets.map((a) => a.id);
    if (listed.length !== expected.length || expected.some((id) => !listed.includes(id))) {
      throw new DomainError('INVALID_EVENT_DATA', `This event must list exactly these assets with their prevs: ${expected.join(', ')}.`);
    }
    if (event.assets.find((a) => a.id === expected[0])?.prev !== null) throw new DomainError('STALE_PREV', 'A new batch’s prev must be null.');
    return { ...event, data: { v: 1, batch, ingredientLots } } as EventEnvelope<BatchRegisteredData>;
  },
  async apply({ manager: m, event, seq, signer }) {
    const { batch, ingredientLots } = event.data;
    const products: Array<{ manufacturer_id: string }> = await m.query('SELECT manufacturer_id FROM products WHERE gtin = $1', [batch.gtin]);
    if (!products[0]) throw new DomainError('UNKNOWN_PRODUCT', `No product ${batch.gtin} is registered.`);
    if (products[0].manufacturer_id !== signer.participantId) throw new DomainError('NOT_PRODUCT_OWNER', `Product ${batch.gtin} belongs to ${products[0].manufacturer_id}.`);
    const lots = await requireItems(m, ingredientLots);
    requireCustodian(lots, signer.participantId);
    for (const lot of lots) {
      if (lot.kind !== 'ingredient_lot' || lot.state !== 'active' || lot.topState !== 'active') {
        throw new DomainError('INGREDIENT_NOT_AVAILABLE', `Ingredient lot ${lot.id} is ${lot.state}; only an active lot in your custody can be consumed.`, { item: lot.id });
      }
    }
    const id = batchAssetId(batch.gtin, batch.lot);
    await m.query(
      `INSERT INTO batches (id, gtin, lot, manufacturer_id, manufactured_on, expires_on, quantity, registered_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, batch.gtin, batch.lot, signer.participantId, batch.manufacturedOn, batch.expiresOn, batch.quantity, seq],
    );
    if (ingredientLots.length > 0) {
      await m.query('INSERT INTO batch_ingredients (batch_id, ingredient_lot_id) SELECT $1, unnest($2::text[])', [id, ingredientLots]);
      await setState(m, ingredientLots, 'consumed', `consumed by batch ${id}`, seq);
    }
    return { batch: id };
  },
};
