// The custodian reports what left the supply chain: destroyed, stolen or lost. A container takes its
// contents with it. These states are final.
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { CUSTODIAN_ROLES, CustodyEventTypes, DisposalData, MAX_ITEMS_PER_EVENT } from '../custody-events';
import { ItemState, requireCustodian, requireItems, requireListed, setState, withContents } from '../custody-item.store';

/**
 * States nothing more can happen to here. A locked pack (EU FMD: held for investigation) may still be
 * destroyed, stolen or lost; supplied, sample, free sample and exported packs have left this custody.
 */
const FINAL = new Set<ItemState>(['dispensed', 'destroyed', 'stolen', 'lost', 'consumed', 'supplied', 'sample', 'free_sample', 'exported']);

function disposalRule(type: string, to: ItemState, allowInTransit: boolean): EventRule<DisposalData> {
  return {
    type,
    roles: CUSTODIAN_ROLES,
    parse(event) {
      const r = EventDataReader.of(event.data);
      r.version([1]);
      const items = r.stringArray('items', { min: 1, max: MAX_ITEMS_PER_EVENT });
      const reason = r.text('reason', { max: 500 });
      r.done();
      requireListed(new Set(event.assets.map((a) => a.id)), items);
      if (event.assets.length !== items.length) throw new DomainError('INVALID_EVENT_DATA', 'The event must list each item, and nothing else.');
      return { ...event, data: { v: 1, items, reason } } as EventEnvelope<DisposalData>;
    },
    async apply({ manager: m, event, seq, signer }) {
      const items = await requireItems(m, event.data.items);
      requireCustodian(items, signer.participantId);
      for (const item of items) {
        if (FINAL.has(item.state)) throw new DomainError('ITEM_NOT_AVAILABLE', `${item.id} is already ${item.state}.`, { item: item.id });
        if (item.inTransitOn && !allowInTransit) {
          throw new DomainError('ITEM_NOT_AVAILABLE', `${item.id} is in transit on ${item.inTransitOn}; it can be destroyed once received, refused or voided.`, { item: item.id });
        }
      }
      const all = await withContents(m, event.data.items);
      // Recalled goods may only travel back to their manufacturer or be destroyed (DESIGN.md "Pack states"):
      // reporting them stolen or lost would take them out of the recall's count unseen.
      if (to !== 'destroyed') {
        const [recalled]: Array<{ id: string }> = await m.query(`SELECT id FROM custody_items WHERE id = ANY($1::text[]) AND state = 'recalled' LIMIT 1`, [all]);
        if (recalled) {
          throw new DomainError('RECALLED', `${recalled.id} is recalled: it may only be returned to its manufacturer or destroyed (custody.destroyed), not reported ${to}.`, { item: recalled.id });
        }
      }
      await setState(m, all, to, event.data.reason, seq);
      return { [to]: all.length };
    },
  };
}

export const destroyedRule = disposalRule(CustodyEventTypes.destroyed, 'destroyed', false);
export const reportedStolenRule = disposalRule(CustodyEventTypes.reportedStolen, 'stolen', true);
export const reportedLostRule = disposalRule(CustodyEventTypes.reportedLost, 'lost', true);
