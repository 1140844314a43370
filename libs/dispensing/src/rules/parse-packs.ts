import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { MAX_PACKS_PER_DECOMMISSION, PACK_ASSET_ID_PATTERN } from '../dispensing-events';

/** `packs`: 1–100 distinct pack ids; the event's assets must be exactly these, each with its prev. */
export function readPacks(r: EventDataReader, event: EventEnvelope): string[] {
  const packs = r.stringArray('packs', { min: 1, max: MAX_PACKS_PER_DECOMMISSION, pattern: PACK_ASSET_ID_PATTERN, hint: 'must be a pack id sgtin:<gtin14>.<serial>' });
  const twice = packs.find((p, i) => packs.indexOf(p) !== i);
  if (twice) throw new DomainError('INVALID_EVENT_DATA', `Pack ${twice} is listed twice; name each pack once.`, { item: twice });
  const listed = event.assets.map((a) => a.id);
  if (listed.length !== packs.length || packs.some((p) => !listed.includes(p))) {
    throw new DomainError('INVALID_EVENT_DATA', 'The event must list each of its packs among its assets, with its prev, and nothing else.');
  }
  return packs;
}
