import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { alreadyRegisteredMessage, CatalogEventTypes, IngredientLotRegisteredData, ingredientLotAssetId } from '@pharmatrace/custody/custody-events';

const LOT_NUMBER = /^[A-Za-z0-9._-]{1,40}$/;

/** A supplier registers an ingredient lot with its certificate of origin (document hash + what it states). */
export const ingredientLotRegisteredRule: EventRule<IngredientLotRegisteredData> = {
  type: CatalogEventTypes.ingredientLotRegistered,
  roles: ['supplier'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const l = r.object('lot');
    const number = l.string('number', { pattern: LOT_NUMBER, hint: 'must be 1–40 letters, digits, ".", "_" or "-"' });
    const material = l.string('material', { max: 200 });
    const quantity = l.number('quantity', { min: 0.000001, max: 1e12 });
    const unit = l.oneOf('unit', ['kg', 'g', 'L', 'mL', 'units'] as const);
    const c = l.object('certificate');
    const certificate = {
      sha256: c.string('sha256', { pattern: /^[0-9a-f]{64}$/, hint: 'must be the document’s SHA-256 in lowercase hex' }),
      issuer: c.string('issuer', { max: 200 }),
      countryOfOrigin: c.string('countryOfOrigin', { pattern: /^[A-Z]{2}$/, hint: 'must be an ISO 3166-1 alpha-2 code' }),
      issuedOn: c.date('issuedOn'),
    };
    c.done();
    l.done();
    r.done();
    const asset = ingredientLotAssetId(event.actor, number);
    if (event.assets.length !== 1 || event.assets[0].id !== asset) {
      throw new DomainError('INVALID_EVENT_DATA', `This event must list exactly one asset, ${asset}, with prev null.`);
    }
    return { ...event, data: { v: 1, lot: { number, material, quantity, unit, certificate } } } as EventEnvelope<IngredientLotRegisteredData>;
  },
  // A lot number used before answers ALREADY_REGISTERED from the pipeline, whatever prev the event cites.
  createdAssets: (event) => [ingredientLotAssetId(event.actor, event.data.lot.number)],
  alreadyRegistered: alreadyRegisteredMessage,
  async apply({ manager: m, event, seq, signer, now }) {
    const { lot } = event.data;
    const today = now.toISOString().slice(0, 10);
    if (lot.certificate.issuedOn > today) {
      throw new DomainError(
        'DATE_IN_FUTURE',
        `The certificate of origin of lot ${lot.number} is dated ${lot.certificate.issuedOn}, after today (${today}); give the date it was issued.`,
        { issuedOn: lot.certificate.issuedOn },
      );
    }
    const id = ingredientLotAssetId(signer.participantId, lot.number);
    await m.query(
      `INSERT INTO custody_items (id, kind, custodian_id, state, details, created_seq, updated_seq)
       VALUES ($1, 'ingredient_lot', $2, 'active', $3, $4, $4)`,
      [id, signer.participantId, JSON.stringify({ material: lot.material, quantity: lot.quantity, unit: lot.unit, certificate: lot.certificate }), seq],
    );
    return { ingredientLot: id };
  },
};
