import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { gtin14Problem } from '@pharmatrace/gs1';
import { alreadyRegisteredMessage, batchAssetId, BatchRegisteredData, CatalogEventTypes, productAssetId } from '@pharmatrace/custody/custody-events';
import { requireCustodian, requireItems } from '@pharmatrace/custody/custody-item.store';
import { recallsOfIngredientLots } from '@pharmatrace/recalls/recall-facts';

const LOT = /^[A-Za-z0-9._-]{1,20}$/; // GS1 AI (10) is up to 20 characters

/**
 * A manufacturer registers a batch of its product, consuming ingredient lots it holds. The event chains on
 * the new batch, the product, and every consumed lot. A lot stays active in the manufacturer's custody: one
 * lot of an active ingredient feeds many batches (which is why a recall of the lot reaches every batch that
 * consumed it); its custody ends when the manufacturer destroys what is left (custody.destroyed).
 */
export const batchRegisteredRule: EventRule<BatchRegisteredData> = {
  type: CatalogEventTypes.batchRegistered,
  roles: ['manufacturer'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const b = r.object('batch');
    const gtin = b.string('gtin', { max: 14 });
    const gtinProblem = gtin14Problem(gtin);
    if (gtinProblem) throw new DomainError('INVALID_GTIN', gtinProblem);
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
    if (batch.expiresOn <= batch.manufacturedOn) {
      throw new DomainError(
        'EXPIRY_BEFORE_MANUFACTURE',
        `Batch ${batch.lot} expires on ${batch.expiresOn}, which is not after its manufacture on ${batch.manufacturedOn}; check both dates.`,
        { manufacturedOn: batch.manufacturedOn, expiresOn: batch.expiresOn },
      );
    }
    const expected = [batchAssetId(gtin, batch.lot), productAssetId(gtin), ...ingredientLots];
    const listed = event.assets.map((a) => a.id);
    if (listed.length !== expected.length || expected.some((id) => !listed.includes(id))) {
      throw new DomainError('INVALID_EVENT_DATA', `This event must list exactly these assets with their prevs: ${expected.join(', ')}.`);
    }
    return { ...event, data: { v: 1, batch, ingredientLots } } as EventEnvelope<BatchRegisteredData>;
  },
  // A lot registered before answers ALREADY_REGISTERED from the pipeline, whatever prev the event cites.
  createdAssets: (event) => [batchAssetId(event.data.batch.gtin, event.data.batch.lot)],
  alreadyRegistered: alreadyRegisteredMessage,
  async apply({ manager: m, event, seq, signer, now }) {
    const { batch, ingredientLots } = event.data;
    const today = now.toISOString().slice(0, 10);
    if (batch.manufacturedOn > today) {
      throw new DomainError(
        'DATE_IN_FUTURE',
        `Batch ${batch.lot} is dated as manufactured on ${batch.manufacturedOn}, after today (${today}); register it once it is made, with its real date.`,
        { manufacturedOn: batch.manufacturedOn },
      );
    }
    if (batch.expiresOn < today) {
      throw new DomainError(
        'ALREADY_EXPIRED',
        `Batch ${batch.lot} expired on ${batch.expiresOn} (today is ${today}); an expired batch cannot be registered.`,
        { expiresOn: batch.expiresOn },
      );
    }
    const products: Array<{ manufacturer_id: string }> = await m.query('SELECT manufacturer_id FROM products WHERE gtin = $1', [batch.gtin]);
    if (!products[0]) throw new DomainError('UNKNOWN_PRODUCT', `No product ${batch.gtin} is registered.`);
    if (products[0].manufacturer_id !== signer.participantId) throw new DomainError('NOT_PRODUCT_OWNER', `Product ${batch.gtin} belongs to ${products[0].manufacturer_id}.`);
    const lots = await requireItems(m, ingredientLots);
    requireCustodian(lots, signer.participantId);
    // A recalled lot reaches no new batch (DESIGN.md "Recalls and tracing"): named before its state is judged.
    const recalls = await recallsOfIngredientLots(m, ingredientLots);
    for (const lot of lots) {
      const recall = recalls.get(lot.id);
      if (recall || lot.state === 'recalled') {
        throw new DomainError(
          'INGREDIENT_LOT_RECALLED',
          `Ingredient lot ${lot.id} is recalled${recall ? ` (${recall})` : ''}; no batch may consume it — use another lot, and return or destroy this one.`,
          { item: lot.id, ...(recall ? { recall } : {}) },
        );
      }
    }
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
      await m.query('UPDATE custody_items SET updated_seq = $2 WHERE id = ANY($1::text[])', [ingredientLots, seq]);
    }
    return { batch: id };
  },
};
