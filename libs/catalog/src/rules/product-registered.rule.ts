import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { gtin14Problem } from '@pharmatrace/gs1';
import { alreadyRegisteredMessage, CatalogEventTypes, CONTROLLED_CLASSES, ProductRegisteredData, productAssetId } from '@pharmatrace/custody/custody-events';

function temperature(r: EventDataReader, key: string): number {
  const v = r.number(key, { min: -90, max: 60 });
  return v;
}

/** A manufacturer registers a product: GTIN (check digit validated), identity, storage and excursion policy. */
export const productRegisteredRule: EventRule<ProductRegisteredData> = {
  type: CatalogEventTypes.productRegistered,
  roles: ['manufacturer'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const p = r.object('product');
    const gtin = p.string('gtin', { max: 14 });
    const gtinProblem = gtin14Problem(gtin);
    if (gtinProblem) throw new DomainError('INVALID_GTIN', gtinProblem);
    const name = p.string('name', { max: 200 });
    const activeIngredient = p.string('activeIngredient', { max: 200 });
    const strength = p.string('strength', { max: 60 });
    const form = p.string('form', { max: 60 });
    const s = p.object('storage');
    const storage = { minC: temperature(s, 'minC'), maxC: temperature(s, 'maxC') };
    s.done();
    if (storage.minC >= storage.maxC) throw new DomainError('INVALID_EVENT_DATA', 'data.product.storage.minC must be below maxC.');
    const e = p.object('excursionPolicy');
    const excursionPolicy = { maxMinutesOutOfRange: e.integer('maxMinutesOutOfRange', { min: 0, max: 525_600 }), maxMktC: e.optionalNumber('maxMktC', { min: -90, max: 60 }) };
    e.done();
    const controlledClass = p.oneOf('controlledClass', CONTROLLED_CLASSES);
    p.done();
    r.done();
    if (event.assets.length !== 1 || event.assets[0].id !== productAssetId(gtin)) {
      throw new DomainError('INVALID_EVENT_DATA', `This event must list exactly one asset, ${productAssetId(gtin)}, with prev null.`);
    }
    const product = { gtin, name, activeIngredient, strength, form, storage, excursionPolicy, controlledClass };
    return { ...event, data: { v: 1, product } } as EventEnvelope<ProductRegisteredData>;
  },
  // A GTIN registered before answers ALREADY_REGISTERED from the pipeline, whatever prev the event cites.
  createdAssets: (event) => [productAssetId(event.data.product.gtin)],
  alreadyRegistered: alreadyRegisteredMessage,
  async apply({ manager: m, event, seq, signer }) {
    const p = event.data.product;
    await m.query(
      `INSERT INTO products (gtin, manufacturer_id, name, active_ingredient, strength, form, storage_min_c, storage_max_c,
                             max_minutes_out_of_range, max_mkt_c, controlled_class, registered_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [p.gtin, signer.participantId, p.name, p.activeIngredient, p.strength, p.form, p.storage.minC, p.storage.maxC,
        p.excursionPolicy.maxMinutesOutOfRange, p.excursionPolicy.maxMktC, p.controlledClass, seq],
    );
    return { product: p.gtin };
  },
};
