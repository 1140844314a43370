// SQL of the evaluation side (the worker): pending subjects and their leases, product policies, release
// times, the readings of a custody window, and the stored verdicts.
import { EntityManager } from 'typeorm';
import type { ExcursionPolicy, ExcursionReport, StorageRange } from '../excursion-evaluation';
import { ColdChainEventTypes } from '../cold-chain-events';
import type { Reading } from '../mean-kinetic-temperature';
import type { ReadingSource } from './window-sources';

/** How long a worker holds a pending subject before another may take it over (it died, or is stuck). */
const LEASE_SECONDS = 120;

export interface PendingSubject {
  subject: string;
  throughSeq: number;
}

/** Claims up to `limit` pending subjects for this worker; other workers skip them while the lease lasts. */
export async function claimPending(m: EntityManager, limit: number): Promise<PendingSubject[]> {
  // Wrapped in a CTE so the driver returns the rows (a bare UPDATE … RETURNING comes back as [rows, count]).
  const rows: Array<{ subject: string; through_seq: string }> = await m.query(
    `WITH claimed AS (
       UPDATE cold_chain_pending p SET claimed_until = now() + make_interval(secs => $2)
        WHERE p.subject IN (SELECT subject FROM cold_chain_pending WHERE claimed_until IS NULL OR claimed_until < now()
                             ORDER BY through_seq LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING p.subject, p.through_seq
     ) SELECT subject, through_seq FROM claimed`,
    [limit, LEASE_SECONDS],
  );
  return rows.map((r) => ({ subject: r.subject, throughSeq: Number(r.through_seq) }));
}

/** Done with the readings up to `throughSeq`; readings uploaded meanwhile keep the subject pending. */
export async function finishPending(m: EntityManager, p: PendingSubject): Promise<void> {
  await m.query('DELETE FROM cold_chain_pending WHERE subject = $1 AND through_seq <= $2', [p.subject, p.throughSeq]);
  await m.query('UPDATE cold_chain_pending SET claimed_until = NULL WHERE subject = $1', [p.subject]);
}

/** A failed evaluation is retried once the back-off passes (by the timer, or the next upload's job). */
export async function retryPendingLater(m: EntityManager, subject: string, seconds: number): Promise<void> {
  await m.query('UPDATE cold_chain_pending SET claimed_until = now() + make_interval(secs => $2) WHERE subject = $1', [subject, seconds]);
}

export interface ProductPolicy {
  gtin: string;
  range: StorageRange;
  policy: ExcursionPolicy;
}

/** The policies that apply to each item: its own product, or every product packed in a container. */
export async function policiesOf(m: EntityManager, itemIds: string[]): Promise<Map<string, ProductPolicy[]>> {
  const rows: Array<{ item_id: string; gtin: string; min_c: string; max_c: string; max_minutes: number; max_mkt: string | null }> = await m.query(
    `WITH RECURSIVE down AS (
       SELECT id AS item_id, id, gtin, 0 AS depth FROM custody_items WHERE id = ANY($1::text[])
       UNION ALL
       SELECT down.item_id, c.id, c.gtin, down.depth + 1 FROM custody_items c JOIN down ON c.parent_id = down.id WHERE down.depth < 8
     )
     SELECT DISTINCT d.item_id, p.gtin, p.storage_min_c AS min_c, p.storage_max_c AS max_c,
            p.max_minutes_out_of_range AS max_minutes, p.max_mkt_c AS max_mkt
       FROM down d JOIN products p ON p.gtin = d.gtin ORDER BY d.item_id, p.gtin`,
    [itemIds],
  );
  const out = new Map<string, ProductPolicy[]>();
  for (const r of rows) {
    const policy: ProductPolicy = {
      gtin: r.gtin,
      range: { minC: Number(r.min_c), maxC: Number(r.max_c) },
      policy: { maxMinutesOutOfRange: r.max_minutes, maxMktC: r.max_mkt === null ? null : Number(r.max_mkt) },
    };
    out.set(r.item_id, [...(out.get(r.item_id) ?? []), policy]);
  }
  return out;
}

/** When each item was last released from a cold-chain quarantine: readings up to then count as reviewed. */
export async function lastReleases(m: EntityManager, itemIds: string[]): Promise<Map<string, string>> {
  const rows: Array<{ asset_id: string; at: Date }> = await m.query(
    `SELECT ea.asset_id, max(e.received_at) AS at FROM event_assets ea JOIN ledger_events e ON e.seq = ea.seq
      WHERE ea.asset_id = ANY($1::text[]) AND e.type = $2 GROUP BY ea.asset_id`,
    [itemIds, ColdChainEventTypes.released],
  );
  return new Map(rows.map((r) => [r.asset_id, new Date(r.at).toISOString()]));
}

export async function itemStates(m: EntityManager, itemIds: string[]): Promise<Map<string, string>> {
  const rows: Array<{ id: string; state: string }> = await m.query('SELECT id, state FROM custody_items WHERE id = ANY($1::text[])', [itemIds]);
  return new Map(rows.map((r) => [r.id, r.state]));
}

/** The subjects among `subjects` that have any reading at all (most containers and items have none). */
export async function subjectsWithReadings(m: EntityManager, subjects: string[]): Promise<Set<string>> {
  // A scalar subquery per subject: one index probe each, never a scan of every reading.
  const rows: Array<{ s: string }> = await m.query(
    'SELECT s FROM unnest($1::text[]) AS t(s) WHERE (SELECT 1 FROM cold_chain_readings r WHERE r.subject = t.s LIMIT 1) IS NOT NULL',
    [subjects],
  );
  return new Set(rows.map((r) => r.s));
}

/**
 * The readings of a custody window in time order, taken after `after` (a release) when given. Only readings
 * recorded by keys of a source's parties count; `sources` must not overlap per subject (normalizeSources),
 * so that no reading is counted twice.
 */
export async function windowReadings(m: EntityManager, sources: ReadingSource[], after: string | null): Promise<{ readings: Reading[]; throughSeq: number }> {
  const rows: Array<{ at_ms: number; celsius: number; upload_seq: string }> = await m.query(
    // LATERAL: each source is read through the key's index (subject, taken_at), whatever the planner's estimates.
    `SELECT (extract(epoch FROM r.taken_at) * 1000)::float8 AS at_ms, r.celsius, r.upload_seq
       FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $5::jsonb[]) AS s(subject, since, until, parties)
       CROSS JOIN LATERAL (
         SELECT x.taken_at, x.celsius, x.upload_seq, x.subject, x.logger_kid FROM cold_chain_readings x
           JOIN participant_keys k ON k.kid = x.logger_kid
          WHERE x.subject = s.subject AND (s.since IS NULL OR x.taken_at >= s.since) AND (s.until IS NULL OR x.taken_at < s.until)
            AND ($4::timestamptz IS NULL OR x.taken_at > $4::timestamptz)
            AND k.participant_id IN (SELECT jsonb_array_elements_text(s.parties))
       ) r
      ORDER BY r.taken_at, r.subject, r.logger_kid`,
    [sources.map((s) => s.subject), sources.map((s) => s.since), sources.map((s) => s.until), after, sources.map((s) => JSON.stringify(s.parties))],
  );
  let throughSeq = 0;
  const readings = rows.map((r) => {
    throughSeq = Math.max(throughSeq, Number(r.upload_seq));
    return { at: r.at_ms, celsius: r.celsius };
  });
  return { readings, throughSeq };
}

export interface EvaluationRow {
  subject: string;
  gtin: string;
  report: ExcursionReport;
  throughSeq: number;
  /** The quarantine this verdict has just caused (committed before the verdict is stored), if any. */
  quarantineHash?: string | null;
}

/**
 * Stores the latest verdict per (item, product); a quarantine in force stays linked until released (a row
 * without a hash of its own keeps the one it has).
 */
export async function saveEvaluations(m: EntityManager, rows: EvaluationRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: EvaluationRow) => T): T[] => rows.map(f);
  const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  await m.query(
    `INSERT INTO cold_chain_evaluations (subject, gtin, window_from, window_to, readings, minutes_out_of_range, worst_c, mkt_c,
                                         verdict, breaches, reasons, through_seq, evaluated_at, quarantine_hash)
     SELECT t.subject, t.gtin, t.wf, t.wt, t.n, t.mins, t.worst, t.mkt, t.verdict,
            ARRAY(SELECT jsonb_array_elements_text(t.breaches)), ARRAY(SELECT jsonb_array_elements_text(t.reasons)), t.seq, $13, t.qh
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::float8[], $7::float8[], $8::float8[],
                   $9::text[], $10::jsonb[], $11::jsonb[], $12::bigint[], $14::text[])
            AS t(subject, gtin, wf, wt, n, mins, worst, mkt, verdict, breaches, reasons, seq, qh)
     ON CONFLICT (subject, gtin) DO UPDATE SET
       window_from = EXCLUDED.window_from, window_to = EXCLUDED.window_to, readings = EXCLUDED.readings,
       minutes_out_of_range = EXCLUDED.minutes_out_of_range, worst_c = EXCLUDED.worst_c, mkt_c = EXCLUDED.mkt_c,
       verdict = EXCLUDED.verdict, breaches = EXCLUDED.breaches, reasons = EXCLUDED.reasons,
       through_seq = EXCLUDED.through_seq, evaluated_at = EXCLUDED.evaluated_at,
       quarantine_hash = COALESCE(EXCLUDED.quarantine_hash, cold_chain_evaluations.quarantine_hash)`,
    [
      col((r) => r.subject),
      col((r) => r.gtin),
      col((r) => time(r.report.from)),
      col((r) => time(r.report.to)),
      col((r) => r.report.readings),
      col((r) => r.report.minutesOutOfRange),
      col((r) => r.report.worst?.celsius ?? null),
      col((r) => r.report.mktC),
      col((r) => r.report.verdict),
      col((r) => JSON.stringify(r.report.breaches)),
      col((r) => JSON.stringify(r.report.reasons)),
      col((r) => r.throughSeq),
      now.toISOString(),
      col((r) => r.quarantineHash ?? null),
    ],
  );
}
