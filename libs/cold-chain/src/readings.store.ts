// SQL for temperature readings: the bulk insert inside the pipeline's transaction (one statement per
// event, whatever its size) and the reads behind the history query.
import { EntityManager } from 'typeorm';
import { ReadingTuple } from './cold-chain-events';

export interface StoredReadings {
  /** Readings newly stored; the rest were already recorded (a logger re-sending the same reading). */
  inserted: number;
  /** The first reading recorded before with another value, if any: the caller refuses the event. */
  conflictAt: string | null;
}

/**
 * Inserts an event's readings with unnest (one round trip for up to 1,000 rows). A reading already stored
 * for the same subject, instant and key is kept when the value agrees and reported when it does not.
 * Both statements find rows by the key's index, so their cost does not grow with the subject's history.
 */
export async function insertReadings(
  m: EntityManager,
  r: { subject: string; kid: string; start: string; readings: ReadingTuple[]; seq: number },
): Promise<StoredReadings> {
  const startMs = Date.parse(r.start);
  const times = r.readings.map(([offset]) => new Date(startMs + offset * 1000).toISOString());
  const existing: Array<{ taken_at: Date; celsius: number }> = await m.query(
    'SELECT taken_at, celsius FROM cold_chain_readings WHERE subject = $1 AND taken_at = ANY($3::timestamptz[]) AND logger_kid = $2',
    [r.subject, r.kid, times],
  );
  if (existing.length > 0) {
    const sent = new Map(times.map((t, i) => [Date.parse(t), r.readings[i][1]]));
    const conflict = existing
      .filter((e) => sent.get(new Date(e.taken_at).getTime()) !== e.celsius)
      .map((e) => new Date(e.taken_at).getTime())
      .sort((a, b) => a - b)[0];
    if (conflict !== undefined) return { inserted: 0, conflictAt: new Date(conflict).toISOString() };
  }
  const rows: Array<{ inserted: number }> = await m.query(
    `WITH ins AS (
       INSERT INTO cold_chain_readings (subject, taken_at, logger_kid, celsius, upload_seq)
       SELECT $1, t, $2, c, $5 FROM unnest($3::timestamptz[], $4::float8[]) AS u(t, c)
       ON CONFLICT DO NOTHING RETURNING 1
     ) SELECT count(*)::int AS inserted FROM ins`,
    [r.subject, r.kid, times, r.readings.map((x) => x[1]), r.seq],
  );
  return { inserted: rows[0].inserted, conflictAt: null };
}

/** Marks the subject for evaluation, in the same transaction as its readings. */
export async function markPending(m: EntityManager, subject: string, seq: number): Promise<void> {
  await m.query(
    `INSERT INTO cold_chain_pending (subject, through_seq) VALUES ($1, $2)
     ON CONFLICT (subject) DO UPDATE SET through_seq = GREATEST(cold_chain_pending.through_seq, EXCLUDED.through_seq)`,
    [subject, seq],
  );
}

export interface ReadingRow {
  takenAt: string;
  celsius: number;
  loggerKid: string;
  uploadSeq: number;
  /** True when the reading falls in the subject's custody window and was recorded by a key of a party to it then. */
  counted: boolean;
}

/** The windows of a subject's own readings (see window-sources.ts): when, and whose keys, count. */
export interface SubjectWindow {
  since: string | null;
  until: string | null;
  parties: string[];
}

/** SQL true when reading `r` (joined with its key `k`) falls in one of the windows passed as $w, $w+1, $w+2. */
const inWindow = (w: number): string =>
  `EXISTS (SELECT 1 FROM unnest($${w}::timestamptz[], $${w + 1}::timestamptz[], $${w + 2}::jsonb[]) AS w(since, until, parties)
            WHERE (w.since IS NULL OR r.taken_at >= w.since) AND (w.until IS NULL OR r.taken_at < w.until)
              AND k.participant_id IN (SELECT jsonb_array_elements_text(w.parties)))`;

const windowParams = (windows: readonly SubjectWindow[]) => [windows.map((w) => w.since), windows.map((w) => w.until), windows.map((w) => JSON.stringify(w.parties))];

/** A subject's readings in time order, from `after` (exclusive), at most `limit`, each marked counted or not. */
export async function readingsOf(m: EntityManager, subject: string, after: string | null, limit: number, windows: readonly SubjectWindow[]): Promise<ReadingRow[]> {
  const rows: Array<{ taken_at: Date; celsius: number; logger_kid: string; upload_seq: string; counted: boolean }> = await m.query(
    `SELECT r.taken_at, r.celsius, r.logger_kid, r.upload_seq, ${inWindow(4)} AS counted
       FROM cold_chain_readings r LEFT JOIN participant_keys k ON k.kid = r.logger_kid
      WHERE r.subject = $1 AND ($2::timestamptz IS NULL OR r.taken_at > $2) ORDER BY r.taken_at, r.logger_kid LIMIT $3`,
    [subject, after, limit, ...windowParams(windows)],
  );
  return rows.map((r) => ({
    takenAt: new Date(r.taken_at).toISOString(),
    celsius: r.celsius,
    loggerKid: r.logger_kid,
    uploadSeq: Number(r.upload_seq),
    counted: r.counted,
  }));
}

/** How many readings the subject has, and how many of them fall outside its windows (count for nothing). */
export async function readingCounts(m: EntityManager, subject: string, windows: readonly SubjectWindow[]): Promise<{ total: number; excluded: number }> {
  const rows: Array<{ total: number; excluded: number }> = await m.query(
    `SELECT count(*)::int AS total, (count(*) FILTER (WHERE NOT ${inWindow(2)}))::int AS excluded
       FROM cold_chain_readings r LEFT JOIN participant_keys k ON k.kid = r.logger_kid WHERE r.subject = $1`,
    [subject, ...windowParams(windows)],
  );
  return rows[0];
}
