// What a forward trace starts from: a batch, or an ingredient lot and every batch that consumed it.
import { EntityManager } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';
import { MAX_TRACE_PAGE } from './trace-views';

export type TraceSubject = { kind: 'batch'; id: string } | { kind: 'ingredient-lot'; id: string };

/** Exactly one of `batch` (`batch:<GTIN-14>/<lot>`) or `ingredientLot` (`ingredient-lot:<supplier>/<lot>`); BAD_REQUEST otherwise. */
export function traceSubjectOf(batch: string | null | undefined, ingredientLot: string | null | undefined): TraceSubject {
  if ((batch ?? null) !== null && (ingredientLot ?? null) !== null) throw new DomainError('BAD_REQUEST', 'Give a batch or an ingredient lot to trace, not both.');
  if (batch) {
    if (!/^batch:\d{14}\/.+$/.test(batch)) throw new DomainError('BAD_REQUEST', `batch must be a batch asset id batch:<GTIN-14>/<lot>, not "${batch}".`);
    return { kind: 'batch', id: batch };
  }
  if (ingredientLot) {
    if (!/^ingredient-lot:[^/]+\/.+$/.test(ingredientLot)) {
      throw new DomainError('BAD_REQUEST', `ingredientLot must be an ingredient lot asset id ingredient-lot:<supplier>/<lot>, not "${ingredientLot}".`);
    }
    return { kind: 'ingredient-lot', id: ingredientLot };
  }
  throw new DomainError('BAD_REQUEST', 'Give a batch (batch:<GTIN-14>/<lot>) or an ingredient lot (ingredient-lot:<supplier>/<lot>) to trace.');
}

/**
 * The batch ids a subject covers, sorted: the batch itself, or every batch whose registration consumed the
 * ingredient lot (batch_ingredients). UNKNOWN_BATCH / UNKNOWN_ITEM when it is not registered.
 */
export async function batchesOf(m: EntityManager, subject: TraceSubject): Promise<string[]> {
  if (subject.kind === 'batch') {
    const rows: Array<{ id: string }> = await m.query('SELECT id FROM batches WHERE id = $1', [subject.id]);
    if (rows.length === 0) throw new DomainError('UNKNOWN_BATCH', `No batch ${subject.id} is registered.`, { batch: subject.id });
    return [subject.id];
  }
  const lot: unknown[] = await m.query("SELECT 1 FROM custody_items WHERE id = $1 AND kind = 'ingredient_lot'", [subject.id]);
  if (lot.length === 0) throw new DomainError('UNKNOWN_ITEM', `No ingredient lot ${subject.id} is registered.`, { item: subject.id });
  const rows: Array<{ batch_id: string }> = await m.query('SELECT batch_id FROM batch_ingredients WHERE ingredient_lot_id = $1 ORDER BY batch_id', [subject.id]);
  return rows.map((r) => r.batch_id);
}

/** Opaque keyset cursor: the last pack id of a page, base64url. */
export const encodeTraceCursor = (packId: string): string => Buffer.from(`pack:${packId}`, 'utf8').toString('base64url');

export function decodeTraceCursor(cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('pack:sgtin:')) throw new DomainError('BAD_REQUEST', 'after must be the endCursor of an earlier page of this trace.');
  return text.slice(5);
}

/** `first` as given, 1 to MAX_TRACE_PAGE; BAD_REQUEST otherwise. */
export function tracePageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_TRACE_PAGE) throw new DomainError('BAD_REQUEST', `first must be 1 to ${MAX_TRACE_PAGE} packs a page.`);
  return first;
}
