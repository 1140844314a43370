// The temperature verdict for the public page: the latest cold-chain evaluations of the pack and of every
// container it sat in (as the backward trace reads them), the product's storage range, and a bounded,
// evenly picked set of readings for the chart. Readings of shipments that carried it count too.
import type { EntityManager } from 'typeorm';
import type { ReportTemperature, TemperatureReading } from './pack-report.types';

/** Most readings the chart gets; the rest are left out evenly in time (every k-th kept). */
export const MAX_CHART_READINGS = 200;
/** Most containers and shipments looked at (a pack sits in few; bounds a crafted nesting). */
const MAX_SUBJECTS = 100;

const MAX_SEQ = '9223372036854775807';

/** The pack and each container it sat in, with the sequence window it sat there; and the shipments that carried them then. */
const SUBJECTS_CTE = `WITH RECURSIVE windows(asset_id, from_seq, to_seq, depth) AS (
    SELECT $1::text, 0::bigint, ${MAX_SEQ}::bigint, 0
    UNION ALL
    SELECT c.parent_id, GREATEST(w.from_seq, c.from_seq), LEAST(w.to_seq, COALESCE(c.to_seq, ${MAX_SEQ})), w.depth + 1
      FROM windows w JOIN containment_log c ON c.child_id = w.asset_id
     WHERE c.from_seq <= w.to_seq AND COALESCE(c.to_seq, ${MAX_SEQ}) >= w.from_seq AND w.depth < 8
  ), subjects AS (
    (SELECT DISTINCT asset_id AS subject FROM windows LIMIT ${MAX_SUBJECTS})
    UNION
    (SELECT DISTINCT s.id FROM windows w JOIN shipments s ON s.items @> ARRAY[w.asset_id] AND s.shipped_seq BETWEEN w.from_seq AND w.to_seq LIMIT ${MAX_SUBJECTS})
  )`;

const VERDICT_ORDER: Array<ReportTemperature['verdict']> = ['broken', 'within_policy', 'no_readings'];

const SUMMARIES: Record<ReportTemperature['verdict'], string> = {
  within_policy: 'Kept within its storage temperature all the way.',
  broken: 'It was kept outside its storage temperature for too long.',
  no_readings: 'No temperature readings were recorded for it.',
  not_evaluated: 'There is no temperature check for this pack.',
};

/** The temperature verdict on `packId` of product `gtin`, or null when the product is unknown. */
export async function readTemperature(m: EntityManager, packId: string, gtin: string): Promise<ReportTemperature | null> {
  const [product]: Array<{ min_c: string; max_c: string }> = await m.query('SELECT storage_min_c AS min_c, storage_max_c AS max_c FROM products WHERE gtin = $1', [gtin]);
  if (!product) return null;
  const evaluations: Array<{ verdict: string; minutes_out_of_range: number; worst_c: string | null; mkt_c: string | null }> = await m.query(
    `${SUBJECTS_CTE}
     SELECT e.verdict, e.minutes_out_of_range, e.worst_c, e.mkt_c FROM cold_chain_evaluations e
      WHERE e.subject IN (SELECT subject FROM subjects) AND e.gtin = $2 ORDER BY e.evaluated_at DESC LIMIT ${MAX_SUBJECTS}`,
    [packId, gtin],
  );
  const [count]: Array<{ n: number }> = await m.query(
    `${SUBJECTS_CTE} SELECT count(*)::int AS n FROM cold_chain_readings r WHERE r.subject IN (SELECT subject FROM subjects)`,
    [packId],
  );
  const step = Math.max(1, Math.ceil(count.n / MAX_CHART_READINGS));
  const rows: Array<{ taken_at: Date; celsius: string }> = await m.query(
    `${SUBJECTS_CTE}
     SELECT taken_at, celsius FROM (
       SELECT r.taken_at, r.celsius, row_number() OVER (ORDER BY r.taken_at, r.logger_kid) AS n
         FROM cold_chain_readings r WHERE r.subject IN (SELECT subject FROM subjects)
     ) picked WHERE (n - 1) % $2 = 0 ORDER BY taken_at LIMIT ${MAX_CHART_READINGS}`,
    [packId, step],
  );
  const verdict = VERDICT_ORDER.find((v) => evaluations.some((e) => e.verdict === v)) ?? 'not_evaluated';
  const worst = evaluations.map((e) => (e.worst_c === null ? null : Number(e.worst_c))).filter((v): v is number => v !== null);
  const mkts = evaluations.map((e) => (e.mkt_c === null ? null : Number(e.mkt_c))).filter((v): v is number => v !== null);
  const minC = Number(product.min_c);
  const maxC = Number(product.max_c);
  // The worst value is the one farthest outside the range, on either side.
  const distance = (c: number): number => Math.max(minC - c, c - maxC);
  const readings: TemperatureReading[] = rows.map((r) => ({ at: new Date(r.taken_at).toISOString(), celsius: Number(r.celsius) }));
  return {
    verdict,
    summary: SUMMARIES[verdict],
    storage: { minC, maxC },
    minutesOutOfRange: evaluations.reduce((sum, e) => sum + Number(e.minutes_out_of_range), 0),
    worstC: worst.length === 0 ? null : worst.reduce((a, b) => (distance(b) > distance(a) ? b : a)),
    mktC: mkts.length === 0 ? null : Math.max(...mkts),
    readingCount: count.n,
    readings,
  };
}
