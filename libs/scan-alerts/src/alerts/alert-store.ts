// Raising and reading verification alerts in the database: one open alert per (gtin, serial, kind) — the partial
// unique index verification_alerts_open enforces it — whose evidence a repeat replaces; revision 1 is the raise.
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AlertDraft, AlertKind, AlertStatus } from '../rules/alert-facts';
import type { AlertUpdateView, AlertView } from '../alert-views';

export interface AlertSubject {
  gtin: string;
  serial: string;
  lot: string | null;
  manufacturerId: string | null;
}

/** What raising did: a new alert (revision 1, to be told) or new evidence on the open one (not told again). */
export interface RaiseOutcome {
  alertId: string;
  revision: number;
  created: boolean;
  /** true: the draft raised nothing of its own but was added to another serial's open alert (addToLatestOpenAlert). */
  joined?: boolean;
}

export interface AlertRow {
  id: string;
  kind: AlertKind;
  clone_suspected: boolean;
  gtin: string;
  serial: string;
  lot: string | null;
  manufacturer_id: string | null;
  status: AlertStatus;
  revision: number;
  evidence: Record<string, unknown>;
  raised_at: Date;
  updated_at: Date;
}

export const ALERT_COLUMNS = 'id, kind, clone_suspected, gtin, serial, lot, manufacturer_id, status, revision, evidence, raised_at, updated_at';

/**
 * Raises `draft` on the subject, or, when an alert of its kind is open on the serial, gives it the evidence
 * `evidenceFor(previous)` (the same draft's evidence unless the caller merges). Safe under concurrent raises: the
 * loser of the unique index updates the winner's row.
 */
export async function raiseAlert(
  m: EntityManager,
  subject: AlertSubject,
  draft: AlertDraft,
  evidenceFor: (previous: Record<string, unknown> | null) => Record<string, unknown> = () => draft.evidence,
): Promise<RaiseOutcome> {
  for (let tries = 0; tries < 3; tries++) {
    const open: Array<{ id: string; revision: number; evidence: Record<string, unknown> }> = await m.query(
      `SELECT id, revision, evidence FROM verification_alerts WHERE gtin = $1 AND serial = $2 AND kind = $3 AND status <> 'closed' FOR UPDATE`,
      [subject.gtin, subject.serial, draft.kind],
    );
    if (open[0]) {
      // A repeat may raise the suspicion (a copy seen elsewhere), never lower it.
      await m.query(`UPDATE verification_alerts SET evidence = $2, clone_suspected = clone_suspected OR $3, updated_at = now() WHERE id = $1`, [
        open[0].id,
        JSON.stringify(evidenceFor(open[0].evidence)),
        draft.cloneSuspected,
      ]);
      return { alertId: open[0].id, revision: Number(open[0].revision), created: false };
    }
    const id = `alert:${randomUUID()}`;
    const inserted: Array<{ id: string }> = await m.query(
      `INSERT INTO verification_alerts (id, kind, clone_suspected, gtin, serial, lot, manufacturer_id, evidence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (gtin, serial, kind) WHERE status <> 'closed' DO NOTHING RETURNING id`,
      [id, draft.kind, draft.cloneSuspected, subject.gtin, subject.serial, subject.lot, subject.manufacturerId, JSON.stringify(evidenceFor(null))],
    );
    if (inserted[0]) {
      await m.query(`INSERT INTO verification_alert_updates (alert_id, revision, status, note, by_participant_id) VALUES ($1, 1, 'new', NULL, NULL)`, [id]);
      return { alertId: id, revision: 1, created: true };
    }
  }
  throw new Error(`could not raise ${draft.kind} on ${subject.gtin}/${subject.serial}: the open alert kept changing`);
}

/** Whether an alert of `kind` is open (new or under investigation) on the serial. */
export async function hasOpenAlert(m: EntityManager, gtin: string, serial: string, kind: AlertKind): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM verification_alerts WHERE gtin = $1 AND serial = $2 AND kind = $3 AND status <> 'closed'`, [gtin, serial, kind]);
  return rows.length > 0;
}

/**
 * How many alerts of `kind` were raised on the GTIN (any serial, any status) within the last `seconds`, counted up
 * to `atMost`. Its manufacturer's alerts only (the manufacturer index bounds the rows read to the window).
 */
export async function alertsRaisedWithin(m: EntityManager, gtin: string, manufacturerId: string, kind: AlertKind, seconds: number, atMost: number): Promise<number> {
  const rows: Array<{ n: number }> = await m.query(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM verification_alerts
        WHERE manufacturer_id = $2 AND raised_at > now() - make_interval(secs => $4) AND gtin = $1 AND kind = $3 LIMIT $5) recent`,
    [gtin, manufacturerId, kind, seconds, atMost],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Gives the most recently raised open alert of `kind` on the GTIN (any serial) the evidence `evidenceFor(previous)`,
 * without a new revision or notification; null when none of that kind is open on the GTIN.
 */
export async function addToLatestOpenAlert(
  m: EntityManager,
  gtin: string,
  kind: AlertKind,
  evidenceFor: (previous: Record<string, unknown>) => Record<string, unknown>,
): Promise<RaiseOutcome | null> {
  const open: Array<{ id: string; revision: number; evidence: Record<string, unknown> }> = await m.query(
    `SELECT id, revision, evidence FROM verification_alerts WHERE gtin = $1 AND kind = $2 AND status <> 'closed' ORDER BY raised_at DESC, id DESC LIMIT 1 FOR UPDATE`,
    [gtin, kind],
  );
  const target = open[0];
  if (!target) return null;
  await m.query(`UPDATE verification_alerts SET evidence = $2, updated_at = now() WHERE id = $1`, [target.id, JSON.stringify(evidenceFor(target.evidence))]);
  return { alertId: target.id, revision: Number(target.revision), created: false, joined: true };
}

export function toAlertView(row: AlertRow, updates: AlertUpdateView[]): AlertView {
  return {
    id: row.id,
    kind: row.kind,
    cloneSuspected: row.clone_suspected,
    gtin: row.gtin.trim(),
    serial: row.serial,
    lot: row.lot,
    manufacturerId: row.manufacturer_id,
    status: row.status,
    revision: Number(row.revision),
    evidence: row.evidence,
    raisedAt: new Date(row.raised_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    updates,
  };
}

/** The updates of each alert in `ids`, oldest first. */
export async function alertUpdates(m: EntityManager, ids: string[]): Promise<Map<string, AlertUpdateView[]>> {
  const out = new Map<string, AlertUpdateView[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows: Array<{ alert_id: string; revision: number; status: AlertStatus; note: string | null; by_participant_id: string | null; at: Date }> = await m.query(
    `SELECT alert_id, revision, status, note, by_participant_id, at FROM verification_alert_updates WHERE alert_id = ANY($1::text[]) ORDER BY alert_id, revision`,
    [ids],
  );
  for (const r of rows) {
    out.get(r.alert_id)?.push({ revision: Number(r.revision), status: r.status, note: r.note, byParticipantId: r.by_participant_id, at: new Date(r.at).toISOString() });
  }
  return out;
}
