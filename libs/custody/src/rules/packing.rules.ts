// Packing packs into cases and cases (or packs) into pallets, and unpacking. A packed item's custodian
// is its outermost container's; the containment log keeps when it sat where, for history.
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { ssccProblem } from '@pharmatrace/gs1';
import { alreadyRegisteredMessage, CUSTODIAN_ROLES, CustodyEventTypes, MAX_ITEMS_PER_EVENT, PackedData, UnpackedData } from '../custody-events';
import { EffectiveItem, effectiveItems, requireCustodian, requireItems, requireListed, requireTopLevel } from '../custody-item.store';

function readContainerId(id: string): string {
  if (!id.startsWith('sscc:')) throw new DomainError('INVALID_SSCC', `${id} must be sscc:<18-digit SSCC with a valid check digit>.`);
  const problem = ssccProblem(id.slice('sscc:'.length));
  if (problem) throw new DomainError('INVALID_SSCC', problem);
  return id;
}

function requireActive(items: EffectiveItem[]): void {
  for (const item of items) {
    if (item.state !== 'active' || item.topState !== 'active') {
      throw new DomainError('ITEM_NOT_AVAILABLE', `${item.id} is ${item.topState !== 'active' ? item.topState : item.state}; only active items can be packed or unpacked.`, { item: item.id });
    }
  }
}

async function closeContainment(m: EntityManager, childIds: string[], seq: number): Promise<void> {
  await m.query('UPDATE containment_log SET to_seq = $2 WHERE child_id = ANY($1::text[]) AND to_seq IS NULL', [childIds, seq]);
}

export const packedRule: EventRule<PackedData> = {
  type: CustodyEventTypes.packed,
  roles: CUSTODIAN_ROLES,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const c = r.object('container');
    const container = { id: readContainerId(c.string('id', { max: 30 })), kind: c.oneOf('kind', ['case', 'pallet'] as const) };
    c.done();
    const contents = r.stringArray('contents', { min: 1, max: MAX_ITEMS_PER_EVENT });
    r.done();
    if (contents.includes(container.id)) throw new DomainError('CONTAINER_INVALID', 'A container cannot contain itself.');
    requireListed(new Set(event.assets.map((a) => a.id)), [container.id, ...contents]);
    if (event.assets.length !== contents.length + 1) throw new DomainError('INVALID_EVENT_DATA', 'The event must list the container and each content item, and nothing else.');
    return { ...event, data: { v: 1, container, contents } } as EventEnvelope<PackedData>;
  },
  // Citing prev null creates the container: an SSCC in use answers ALREADY_REGISTERED from the pipeline.
  createdAssets: (event) => event.assets.filter((a) => a.id === event.data.container.id && a.prev === null).map((a) => a.id),
  alreadyRegistered: alreadyRegisteredMessage,
  async apply({ manager: m, event, seq, signer }) {
    const { container, contents } = event.data;
    const items = await requireItems(m, contents);
    requireCustodian(items, signer.participantId);
    requireTopLevel(items);
    requireActive(items);
    for (const item of items) {
      const allowed = container.kind === 'case' ? item.kind === 'pack' : item.kind === 'pack' || item.kind === 'case';
      if (!allowed) throw new DomainError('CONTAINER_INVALID', `A ${container.kind} cannot hold ${item.kind === 'ingredient_lot' ? 'an ingredient lot' : `a ${item.kind}`} (${item.id}).`, { item: item.id });
    }
    const existing = (await effectiveItems(m, [container.id])).get(container.id) ?? null;
    const isNew = event.assets.find((a) => a.id === container.id)?.prev === null;
    if (isNew) {
      await m.query(
        `INSERT INTO custody_items (id, kind, sscc, custodian_id, state, created_seq, updated_seq) VALUES ($1, $2, $3, $4, 'active', $5, $5)`,
        [container.id, container.kind, container.id.slice(5), signer.participantId, seq],
      );
    } else {
      if (!existing) throw new DomainError('UNKNOWN_ITEM', `No container ${container.id} exists; cite prev null to create it.`);
      if (existing.kind !== container.kind) throw new DomainError('CONTAINER_INVALID', `${container.id} is a ${existing.kind}, not a ${container.kind}.`);
      requireCustodian([existing], signer.participantId);
      requireActive([existing]);
      if (existing.parentId !== null) throw new DomainError('ITEM_PACKED', `${container.id} is itself packed in ${existing.parentId}; unpack it first.`);
    }
    await m.query('UPDATE custody_items SET parent_id = $2, updated_seq = $3 WHERE id = ANY($1::text[])', [contents, container.id, seq]);
    await m.query('INSERT INTO containment_log (child_id, parent_id, from_seq) SELECT unnest($1::text[]), $2, $3', [contents, container.id, seq]);
    return { container: container.id, packed: contents.length };
  },
};

export const unpackedRule: EventRule<UnpackedData> = {
  type: CustodyEventTypes.unpacked,
  roles: CUSTODIAN_ROLES,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const container = readContainerId(r.string('container', { max: 30 }));
    const contents = r.stringArray('contents', { min: 1, max: MAX_ITEMS_PER_EVENT });
    r.done();
    requireListed(new Set(event.assets.map((a) => a.id)), [container, ...contents]);
    if (event.assets.length !== contents.length + 1) throw new DomainError('INVALID_EVENT_DATA', 'The event must list the container and each item taken out, and nothing else.');
    return { ...event, data: { v: 1, container, contents } } as EventEnvelope<UnpackedData>;
  },
  async apply({ manager: m, event, seq, signer }) {
    const { container, contents } = event.data;
    const [box] = await requireItems(m, [container]);
    requireCustodian([box], signer.participantId);
    requireActive([box]);
    const items = await requireItems(m, contents);
    const stranger = items.find((i) => i.parentId !== container);
    if (stranger) throw new DomainError('CONTAINER_INVALID', `${stranger.id} is not packed in ${container}.`, { item: stranger.id });
    await m.query('UPDATE custody_items SET parent_id = NULL, custodian_id = $2, updated_seq = $3 WHERE id = ANY($1::text[])', [contents, box.custodianId, seq]);
    await closeContainment(m, contents, seq);
    return { container, unpacked: contents.length };
  },
};
