import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { SERIAL_PATTERN } from '@pharmatrace/gs1';
import { isoDateProblem } from '@pharmatrace/gs1/scan/gs1-date';
import { MAX_PACKS_PER_DECOMMISSION, PACK_ASSET_ID_PATTERN, ScannedPackFields } from '../dispensing-events';

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

/**
 * `scanned` (optional): one `{ lot, expiry }` per pack, in the order of `packs` — the lot (1–20 characters of
 * GS1 character set 82) and expiry (a real YYYY-MM-DD date) its code carried, each null when it had none.
 * Undefined when the field is absent.
 */
export function readScanned(r: EventDataReader, data: unknown, packs: string[]): ScannedPackFields[] | undefined {
  if ((data as Record<string, unknown>).scanned === undefined) return undefined;
  const entries = r.array('scanned', { max: MAX_PACKS_PER_DECOMMISSION });
  if (entries.length !== packs.length) {
    throw new DomainError('INVALID_EVENT_DATA', `data.scanned must hold one entry per pack, in the order of packs: ${packs.length}, not ${entries.length}.`, { path: 'data.scanned' });
  }
  return entries.map((e, i) => {
    const path = `data.scanned[${i}]`;
    const lot = e.optionalString('lot', { max: 20 });
    if (lot !== null && !SERIAL_PATTERN.test(lot)) {
      throw new DomainError('INVALID_EVENT_DATA', `${path}.lot must be the lot as scanned (GS1 AI 10): 1–20 characters of GS1 character set 82, or null.`, { path: `${path}.lot` });
    }
    const expiry = e.optionalString('expiry', { max: 10 });
    if (expiry !== null && isoDateProblem(expiry) !== null) {
      throw new DomainError('INVALID_EVENT_DATA', `${path}.expiry must be a real date YYYY-MM-DD, or null.`, { path: `${path}.expiry` });
    }
    e.done();
    return { lot, expiry };
  });
}
