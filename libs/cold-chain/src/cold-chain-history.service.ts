// The read side: a subject's temperature history and the verdicts on the items it concerns, for the
// GraphQL query (and later the verification page).
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';
import { READING_SUBJECT_PATTERN } from './cold-chain-events';
import { findShipment, ShipmentRow } from './custody-parties';
import { readingCounts, readingsOf, ReadingRow, SubjectWindow } from './readings.store';
import { shipmentWindow, windowSources } from './evaluation/window-sources';

export interface EvaluationView {
  subject: string;
  gtin: string;
  windowFrom: string | null;
  windowTo: string | null;
  readings: number;
  minutesOutOfRange: number;
  worstC: number | null;
  mktC: number | null;
  verdict: string;
  breaches: string[];
  reasons: string[];
  evaluatedAt: string;
  quarantineHash: string | null;
}

export interface ItemStateView {
  id: string;
  state: string;
  stateReason: string | null;
}

export interface TemperatureHistory {
  subject: string;
  readingCount: number;
  /**
   * Readings of the subject that count for nothing: taken outside its custody window (before the item
   * existed, before or after a shipment's transit) or by someone who did not hold it then. See `counted`.
   */
  excludedReadingCount: number;
  readings: ReadingRow[];
  /** True while readings wait for the worker: the verdicts may not include them yet. */
  evaluationPending: boolean;
  /** The item itself, or a shipment's items. */
  items: ItemStateView[];
  evaluations: EvaluationView[];
}

export const MAX_HISTORY_PAGE = 10_000;

interface EvaluationRow {
  subject: string;
  gtin: string;
  window_from: Date | null;
  window_to: Date | null;
  readings: number;
  minutes_out_of_range: number;
  worst_c: number | null;
  mkt_c: number | null;
  verdict: string;
  breaches: string[];
  reasons: string[];
  evaluated_at: Date;
  quarantine_hash: string | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

@Injectable()
export class ColdChainHistory {
  constructor(private readonly dataSource: DataSource) {}

  async history(subject: string, after: string | null, limit: number): Promise<TemperatureHistory> {
    if (!READING_SUBJECT_PATTERN.test(subject)) throw new DomainError('BAD_REQUEST', 'subject must be an item or shipment asset id (sgtin:…, sscc:…, ingredient-lot:…, shipment:…).');
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_HISTORY_PAGE) throw new DomainError('BAD_REQUEST', `limit must be 0 to ${MAX_HISTORY_PAGE}.`);
    if (after !== null && Number.isNaN(Date.parse(after))) throw new DomainError('BAD_REQUEST', 'after must be an ISO time.');
    return this.inSnapshot((m) => this.read(m, subject, after, limit));
  }

  /**
   * Every read of one answer sees the same instant. The worker commits in a fixed order — an item's
   * quarantine, then the verdict that caused it, then the end of the subject's pending evaluation — and
   * statements read one after another (each at its own moment, READ COMMITTED) could mix them: the item's
   * state from before the quarantine with the verdict and the cleared pending flag from after it, a
   * "broken, evaluated, still active" answer that was never true. A snapshot sees a prefix of those
   * commits, so a broken verdict comes with its quarantine and a finished evaluation with all it did.
   */
  private async inSnapshot<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        return await work(runner.manager);
      } finally {
        await runner.query('ROLLBACK');
      }
    } finally {
      await runner.release();
    }
  }

  private async read(m: EntityManager, subject: string, after: string | null, limit: number): Promise<TemperatureHistory> {
    const shipment = subject.startsWith('shipment:') ? await findShipment(m, subject) : null;
    const itemIds = subject.startsWith('shipment:') ? shipment?.items : [subject];
    if (!itemIds) throw new DomainError('UNKNOWN_SHIPMENT', `No shipment ${subject} exists.`);
    const items: Array<{ id: string; state: string; state_reason: string | null }> = await m.query(
      'SELECT id, state, state_reason FROM custody_items WHERE id = ANY($1::text[]) ORDER BY id',
      [itemIds],
    );
    if (items.length === 0 && !subject.startsWith('shipment:')) throw new DomainError('UNKNOWN_ITEM', `No item ${subject} is registered.`, { item: subject });
    const windows = await this.ownWindows(m, subject, shipment);
    // One after another: these run on the snapshot's single connection, which takes one query at a time.
    const readings = await readingsOf(m, subject, after ? new Date(after).toISOString() : null, limit, windows);
    const counts = await readingCounts(m, subject, windows);
    const pending: unknown[] = await m.query('SELECT 1 FROM cold_chain_pending WHERE subject = $1', [subject]);
    const evaluations: EvaluationRow[] = await m.query('SELECT * FROM cold_chain_evaluations WHERE subject = ANY($1::text[]) ORDER BY subject, gtin', [itemIds]);
    return {
      subject,
      readingCount: counts.total,
      excludedReadingCount: counts.excluded,
      readings,
      evaluationPending: pending.length > 0,
      items: items.map((i) => ({ id: i.id, state: i.state, stateReason: i.state_reason })),
      evaluations: evaluations.map((e) => ({
        subject: e.subject,
        gtin: e.gtin,
        windowFrom: iso(e.window_from),
        windowTo: iso(e.window_to),
        readings: e.readings,
        minutesOutOfRange: e.minutes_out_of_range,
        worstC: e.worst_c,
        mktC: e.mkt_c,
        verdict: e.verdict,
        breaches: e.breaches,
        reasons: e.reasons,
        evaluatedAt: new Date(e.evaluated_at).toISOString(),
        quarantineHash: e.quarantine_hash,
      })),
    };
  }

  /** When the subject's own readings count, and whose: a shipment's transit, an item's custody periods. */
  private async ownWindows(m: EntityManager, subject: string, shipment: ShipmentRow | null): Promise<SubjectWindow[]> {
    if (shipment) return [shipmentWindow(shipment)];
    const sources = (await windowSources(m, [subject])).get(subject) ?? [];
    return sources.filter((s) => s.subject === subject);
  }
}
