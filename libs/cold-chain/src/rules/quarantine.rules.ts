// Quarantine and release. A quarantine is a system event: the worker signs it with the ledger key when an
// item's readings break its product's policy, and it chains on each item like any custody event. Only the
// manufacturer of the product (or a regulator) releases it; destruction is custody.destroyed.
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { isUtcTimestamp } from '@pharmatrace/ledger-core/validation';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { EXCURSION_BREACHES } from '../excursion-evaluation';
import {
  ColdChainEventTypes,
  MAX_QUARANTINE_ITEMS,
  QUARANTINE_ITEM_PATTERN,
  QuarantinedData,
  QuarantineFigures,
  ReleasedData,
} from '../cold-chain-events';
import { ItemStateRow, lockItemStates, manufacturersOf } from '../custody-parties';

/** States a quarantine may interrupt; the others are final or already a hold. */
const QUARANTINABLE = new Set(['active', 'in_transit']);

function readItems(r: EventDataReader, event: EventEnvelope): string[] {
  const items = r.stringArray('items', { min: 1, max: MAX_QUARANTINE_ITEMS, pattern: QUARANTINE_ITEM_PATTERN, hint: 'must be a pack (sgtin:…) or logistic unit (sscc:…)' });
  if (new Set(items).size !== items.length) throw new DomainError('INVALID_EVENT_DATA', 'data.items names the same item twice.');
  // Each item's chain must move on: the event lists exactly the items, each with its prev.
  const listed = new Set(event.assets.map((a) => a.id));
  if (event.assets.length !== items.length || items.some((id) => !listed.has(id))) {
    throw new DomainError('INVALID_EVENT_DATA', 'The event must list exactly the items of data.items in its assets, each with its prev.');
  }
  return items;
}

function readFigures(r: EventDataReader): QuarantineFigures {
  const subject = r.string('subject', { max: 200 });
  const product = r.string('product', { pattern: /^\d{14}$/, hint: 'must be a GTIN-14' });
  const p = r.object('policy');
  const policy = { minC: p.number('minC'), maxC: p.number('maxC'), maxMinutesOutOfRange: p.number('maxMinutesOutOfRange', { min: 0 }), maxMktC: p.optionalNumber('maxMktC') };
  p.done();
  const w = r.object('window');
  const window = { from: w.string('from', { max: 30 }), to: w.string('to', { max: 30 }) };
  w.done();
  if (!isUtcTimestamp(window.from) || !isUtcTimestamp(window.to)) throw new DomainError('INVALID_EVENT_DATA', 'data.evaluation.window must hold two UTC times.');
  const figures = {
    subject,
    product,
    policy,
    window,
    readings: r.integer('readings', { min: 1 }),
    minutesOutOfRange: r.number('minutesOutOfRange', { min: 0 }),
    worstC: r.number('worstC'),
    mktC: r.number('mktC'),
    breaches: r.stringArray('breaches', { min: 1, max: EXCURSION_BREACHES.length }) as QuarantineFigures['breaches'],
  };
  const unknown = figures.breaches.find((b) => !(EXCURSION_BREACHES as readonly string[]).includes(b));
  if (unknown) throw new DomainError('INVALID_EVENT_DATA', `data.evaluation.breaches: "${unknown}" is not one of ${EXCURSION_BREACHES.join(', ')}.`);
  r.done();
  return figures;
}

async function requireItemStates(m: EntityManager, items: string[]): Promise<ItemStateRow[]> {
  const states = await lockItemStates(m, items);
  return items.map((id) => {
    const s = states.get(id);
    if (!s) throw new DomainError('UNKNOWN_ITEM', `No item ${id} is registered.`, { item: id });
    return s;
  });
}

export const quarantinedRule: EventRule<QuarantinedData> = {
  type: ColdChainEventTypes.quarantined,
  roles: ['system'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const items = readItems(r, event);
    const reason = r.text('reason', { max: 1000 });
    const evaluation = readFigures(r.object('evaluation'));
    r.done();
    return { ...event, data: { v: 1, items, reason, evaluation } } as EventEnvelope<QuarantinedData>;
  },
  async apply({ manager: m, event, hash, seq }) {
    const { items, reason, evaluation } = event.data;
    for (const s of await requireItemStates(m, items)) {
      if (s.state === 'quarantined') throw new DomainError('ALREADY_QUARANTINED', `${s.id} is already quarantined.`, { item: s.id });
      if (!QUARANTINABLE.has(s.state)) throw new DomainError('ITEM_NOT_AVAILABLE', `${s.id} is ${s.state}; only active or in-transit items are quarantined.`, { item: s.id });
    }
    // The shipment link (shipment_id) is kept: a quarantined consignment still arrives at its recipient.
    await m.query('UPDATE custody_items SET state = $2, state_reason = $3, updated_seq = $4 WHERE id = ANY($1::text[])', [
      items,
      'quarantined',
      `cold chain: ${reason}`,
      seq,
    ]);
    await m.query('UPDATE cold_chain_evaluations SET quarantine_hash = $3 WHERE subject = ANY($1::text[]) AND gtin = $2', [items, evaluation.product, hash]);
    return { quarantined: items.length, product: evaluation.product, breaches: evaluation.breaches };
  },
};

export const releasedRule: EventRule<ReleasedData> = {
  type: ColdChainEventTypes.released,
  roles: ['manufacturer', 'regulator'],
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const items = readItems(r, event);
    const reason = r.text('reason', { max: 1000 });
    r.done();
    return { ...event, data: { v: 1, items, reason } } as EventEnvelope<ReleasedData>;
  },
  async apply({ manager: m, event, seq, signer }) {
    const { items, reason } = event.data;
    const states = await requireItemStates(m, items);
    for (const s of states) {
      if (s.state !== 'quarantined') throw new DomainError('NOT_QUARANTINED', `${s.id} is ${s.state}, not quarantined; there is nothing to release.`, { item: s.id });
    }
    if (signer.role === 'manufacturer') {
      const makers = await manufacturersOf(m, items);
      for (const id of items) {
        const others = (makers.get(id) ?? []).filter((mk) => mk !== signer.participantId);
        if (others.length > 0 || !makers.has(id)) {
          throw new DomainError('NOT_PRODUCT_OWNER', `${id} holds products of ${others.join(', ') || 'no registered product'}; only their manufacturer or a regulator may release it.`, { item: id });
        }
      }
    }
    // Back to where the quarantine found it: still travelling if its shipment is, otherwise active.
    const inTransit = states.filter((s) => s.shipmentState === 'in_transit').map((s) => s.id);
    const active = states.filter((s) => s.shipmentState !== 'in_transit').map((s) => s.id);
    const why = `cold-chain quarantine released: ${reason}`;
    if (inTransit.length > 0) await m.query('UPDATE custody_items SET state = $2, state_reason = $3, updated_seq = $4 WHERE id = ANY($1::text[])', [inTransit, 'in_transit', why, seq]);
    if (active.length > 0) await m.query('UPDATE custody_items SET state = $2, state_reason = $3, updated_seq = $4 WHERE id = ANY($1::text[])', [active, 'active', why, seq]);
    // The quarantine these verdicts caused is over; readings up to now count as reviewed (see the evaluator).
    await m.query('UPDATE cold_chain_evaluations SET quarantine_hash = NULL WHERE subject = ANY($1::text[])', [items]);
    return { released: items.length, active: active.length, inTransit: inTransit.length };
  },
};
