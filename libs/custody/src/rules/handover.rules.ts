// The two-party handover: the custodian ships to a named participant (items in transit), and only that
// participant receives the shipment or refuses it (back to the sender); while it is still in transit the
// sender may void it (CBV void_shipping: back to the sender too). Each event cites every moved item's
// prev, so two terminals shipping the same pallet at once cannot both win.
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule, ParticipantRole } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import {
  alreadyRegisteredMessage, CUSTODIAN_ROLES, CustodyEventTypes, MAX_ITEMS_PER_EVENT, ReceivedData, RefusedData, ShippedData, ShippingVoidedData,
} from '../custody-events';
import { EffectiveItem, requireCustodian, requireItems, requireListed, requireTopLevel } from '../custody-item.store';

const SHIPMENT_ID = /^shipment:[A-Za-z0-9._:-]{8,80}$/;

/** Who may send to whom, by role: the supply chain's direction (returns go upstream to the manufacturer). */
const RECEIVERS: Record<ParticipantRole, readonly ParticipantRole[]> = {
  supplier: ['manufacturer'],
  manufacturer: ['wholesaler', 'pharmacy', 'manufacturer'],
  wholesaler: ['wholesaler', 'pharmacy', 'manufacturer'],
  pharmacy: ['wholesaler', 'manufacturer', 'pharmacy'],
  prescriber: [],
  regulator: [],
};

/** States that block normal shipping but allow a return to the manufacturer. */
const RETURNABLE = new Set(['recalled', 'quarantined', 'expired']);

function blockedReason(item: EffectiveItem, to: string, today: string): string | null {
  if (item.inTransitOn) return `in transit on ${item.inTransitOn}`;
  const state = item.topState !== 'active' ? item.topState : item.state;
  const returning = to === item.manufacturerId;
  if (state === 'active' && item.expiresOn !== null && item.expiresOn < today && !returning) return `expired on ${item.expiresOn}`;
  if (state === 'active') return null;
  if (RETURNABLE.has(state) && returning) return null;
  // An ingredient lot has no manufacturer to go back to (its supplier takes no returns here): destroy it.
  if (state === 'recalled' && item.kind === 'ingredient_lot') return 'recalled (a recalled ingredient lot can only be destroyed)';
  return RETURNABLE.has(state) ? `${state} (it can only be returned to its manufacturer or destroyed)` : state;
}

async function participantRole(m: EntityManager, id: string): Promise<{ role: ParticipantRole; status: string; licence_expires_on: string } | null> {
  const rows: Array<{ role: ParticipantRole; status: string; licence_expires_on: string }> = await m.query(
    `SELECT role, status, to_char(licence_expires_on, 'YYYY-MM-DD') AS licence_expires_on FROM participants WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export const shippedRule: EventRule<ShippedData> = {
  type: CustodyEventTypes.shipped,
  roles: CUSTODIAN_ROLES,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const shipment = r.string('shipment', { max: 90, pattern: SHIPMENT_ID, hint: 'must be shipment:<8–80 id characters>' });
    const to = r.string('to', { max: 64 });
    const items = r.stringArray('items', { min: 1, max: MAX_ITEMS_PER_EVENT });
    r.done();
    requireListed(new Set(event.assets.map((a) => a.id)), [shipment, ...items]);
    if (event.assets.length !== items.length + 1) throw new DomainError('INVALID_EVENT_DATA', 'The event must list the shipment and each shipped item, and nothing else.');
    return { ...event, data: { v: 1, shipment, to, items } } as EventEnvelope<ShippedData>;
  },
  // A shipment id used before answers ALREADY_REGISTERED from the pipeline, whatever prev the event cites.
  createdAssets: (event) => [event.data.shipment],
  alreadyRegistered: alreadyRegisteredMessage,
  async apply({ manager: m, event, seq, signer, now }) {
    const { shipment, to, items: ids } = event.data;
    if (to === signer.participantId) throw new DomainError('RECIPIENT_INVALID', 'You cannot ship to yourself.');
    const recipient = await participantRole(m, to);
    if (!recipient) throw new DomainError('RECIPIENT_INVALID', `No participant ${to} is registered.`);
    if (recipient.status !== 'active') throw new DomainError('RECIPIENT_INVALID', `${to} is suspended and cannot receive goods.`);
    const allowed = RECEIVERS[signer.role as ParticipantRole] ?? [];
    if (!allowed.includes(recipient.role)) throw new DomainError('RECIPIENT_INVALID', `A ${signer.role} cannot ship to a ${recipient.role}.`);
    const today = now.toISOString().slice(0, 10);
    // A recipient whose licence has expired could not sign the receipt: the goods would be stuck in transit.
    if (recipient.licence_expires_on < today) {
      throw new DomainError('RECIPIENT_INVALID', `The licence of ${to} expired on ${recipient.licence_expires_on}, so it cannot receive goods until a regulator renews it; ship to someone else or wait.`, { recipient: to });
    }
    const items = await requireItems(m, ids);
    requireCustodian(items, signer.participantId);
    requireTopLevel(items);
    for (const item of items) {
      const why = blockedReason(item, to, today);
      if (why) throw new DomainError('ITEM_NOT_AVAILABLE', `${item.id} cannot be shipped: it is ${why}.`, { item: item.id });
      if (item.kind === 'ingredient_lot' && recipient.role !== 'manufacturer') throw new DomainError('RECIPIENT_INVALID', 'Ingredient lots go to manufacturers only.');
    }
    // A container travels with everything in it, at any depth: a quarantined or recalled pack inside a case
    // inside an active pallet blocks the pallet too, unless every such pack is going back to its manufacturer.
    const inner: Array<{ id: string; state: string }> = await m.query(
      `WITH RECURSIVE down AS (SELECT id FROM custody_items WHERE parent_id = ANY($1::text[])
                                UNION ALL SELECT c.id FROM custody_items c JOIN down ON c.parent_id = down.id)
       SELECT i.id, i.state FROM down JOIN custody_items i ON i.id = down.id
         LEFT JOIN batches b ON b.id = i.batch_id
        WHERE i.state <> 'active' AND NOT (i.state = ANY($2::text[]) AND COALESCE(b.manufacturer_id = $3, false)) LIMIT 1`,
      [ids, [...RETURNABLE], to],
    );
    const blocked = inner[0];
    if (blocked) {
      throw new DomainError('ITEM_NOT_AVAILABLE', `${blocked.id}, packed inside, is ${blocked.state}; unpack it first (or return it to its manufacturer).`, { item: blocked.id });
    }
    await m.query('INSERT INTO shipments (id, from_id, to_id, state, items, shipped_seq) VALUES ($1, $2, $3, $4, $5, $6)', [shipment, signer.participantId, to, 'in_transit', ids, seq]);
    // Items keep their own state (e.g. recalled on a return); transit is recorded by the shipment link.
    await m.query(
      `UPDATE custody_items SET state = CASE WHEN state = 'active' THEN 'in_transit' ELSE state END, shipment_id = $2, updated_seq = $3
        WHERE id = ANY($1::text[])`,
      [ids, shipment, seq],
    );
    return { shipment, to, items: ids.length };
  },
};

function closingRule<D extends ReceivedData | RefusedData>(type: string, outcome: 'received' | 'refused'): EventRule<D> {
  return {
    type,
    roles: CUSTODIAN_ROLES,
    parse(event) {
      const r = EventDataReader.of(event.data);
      r.version([1]);
      const shipment = r.string('shipment', { max: 90, pattern: SHIPMENT_ID, hint: 'must be shipment:<id>' });
      const reason = outcome === 'refused' ? r.text('reason', { max: 500 }) : undefined;
      r.done();
      if (!event.assets.some((a) => a.id === shipment)) throw new DomainError('INVALID_EVENT_DATA', `The event must list ${shipment} and each shipped item with their prevs.`);
      const data = outcome === 'refused' ? { v: 1, shipment, reason } : { v: 1, shipment };
      return { ...event, data } as EventEnvelope<D>;
    },
    async apply({ manager: m, event, seq, signer }) {
      const { shipment } = event.data;
      const s = await lockShipment(m, event);
      if (!s) throw new DomainError('UNKNOWN_SHIPMENT', `No shipment ${shipment} exists.`);
      if (s.to_id !== signer.participantId) throw new DomainError('SHIPMENT_NOT_FOR_YOU', `Shipment ${shipment} is addressed to ${s.to_id}.`);
      if (s.state !== 'in_transit') throw new DomainError('SHIPMENT_CLOSED', `Shipment ${shipment} was already ${s.state}.`);
      requireAllItemsListed(event, s);
      const custodian = outcome === 'received' ? s.to_id : s.from_id;
      await m.query('UPDATE shipments SET state = $2, closed_seq = $3 WHERE id = $1', [shipment, outcome, seq]);
      await m.query(
        `UPDATE custody_items SET custodian_id = $2, state = CASE WHEN state = 'in_transit' THEN 'active' ELSE state END, shipment_id = NULL, updated_seq = $3
          WHERE id = ANY($1::text[])`,
        [s.items, custodian, seq],
      );
      return { shipment, [outcome]: s.items.length, custodian };
    },
  };
}

export const receivedRule = closingRule<ReceivedData>(CustodyEventTypes.received, 'received');
export const refusedRule = closingRule<RefusedData>(CustodyEventTypes.refused, 'refused');

interface OpenShipment {
  from_id: string;
  to_id: string;
  state: string;
  items: string[];
}

/** The shipment's row, locked; the event must list it and every item of it with their prevs. */
async function lockShipment(m: EntityManager, event: EventEnvelope<ReceivedData>): Promise<OpenShipment | null> {
  const rows: OpenShipment[] = await m.query('SELECT from_id, to_id, state, items FROM shipments WHERE id = $1 FOR UPDATE', [event.data.shipment]);
  return rows[0] ?? null;
}

function requireAllItemsListed(event: EventEnvelope<ReceivedData>, s: OpenShipment): void {
  const listed = event.assets.map((a) => a.id).filter((id) => id !== event.data.shipment);
  if (listed.length !== s.items.length || s.items.some((id) => !listed.includes(id))) {
    throw new DomainError('INVALID_EVENT_DATA', `The event must list every item of the shipment with its prev: ${s.items.join(', ')}.`);
  }
}

/**
 * CBV void_shipping: the sender cancels a shipment that is still in transit (neither received, refused nor
 * voided). The shipment closes and its items are back in the sender's custody, free to ship again.
 */
export const shippingVoidedRule: EventRule<ShippingVoidedData> = {
  type: CustodyEventTypes.shippingVoided,
  roles: CUSTODIAN_ROLES,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const shipment = r.string('shipment', { max: 90, pattern: SHIPMENT_ID, hint: 'must be shipment:<id>' });
    const reason = r.text('reason', { max: 500 });
    r.done();
    if (!event.assets.some((a) => a.id === shipment)) throw new DomainError('INVALID_EVENT_DATA', `The event must list ${shipment} and each shipped item with their prevs.`);
    return { ...event, data: { v: 1, shipment, reason } } as EventEnvelope<ShippingVoidedData>;
  },
  async apply({ manager: m, event, seq, signer }) {
    const { shipment } = event.data;
    const s = await lockShipment(m, event);
    // Someone who is no party to the shipment learns nothing of it: it answers as if it did not exist.
    if (!s || (s.from_id !== signer.participantId && s.to_id !== signer.participantId)) {
      throw new DomainError('UNKNOWN_SHIPMENT', `No shipment ${shipment} exists.`);
    }
    if (s.from_id !== signer.participantId) {
      throw new DomainError('NOT_SHIPMENT_SENDER', `Only ${s.from_id}, who sent shipment ${shipment}, may void it; as its recipient, refuse it instead.`);
    }
    if (s.state !== 'in_transit') {
      throw new DomainError('SHIPMENT_CLOSED', `Shipment ${shipment} was already ${s.state}; only a shipment still in transit can be voided.`);
    }
    requireAllItemsListed(event, s);
    await m.query('UPDATE shipments SET state = $2, closed_seq = $3 WHERE id = $1', [shipment, 'voided', seq]);
    await m.query(
      `UPDATE custody_items SET custodian_id = $2, state = CASE WHEN state = 'in_transit' THEN 'active' ELSE state END, shipment_id = NULL, updated_seq = $3
        WHERE id = ANY($1::text[])`,
      [s.items, s.from_id, seq],
    );
    return { shipment, voided: s.items.length, custodian: s.from_id };
  },
};
