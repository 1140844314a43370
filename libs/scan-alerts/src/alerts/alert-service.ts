// Verification alerts on the API side: the list and the one alert a caller may see (AccessPolicy.alertScope), the
// life-cycle update (regulators, and the product's manufacturer), and the counter's refused attempt at an inactive
// pack (EMVS A24), recorded after the refused dispense rolled back.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessPolicy, AlertScope, Viewer } from '@pharmatrace/access';
import { DomainError } from '@pharmatrace/errors';
import { findControlCharacter } from '@pharmatrace/ledger-core';
import { QUEUE_BACKEND, QueueBackendHandle } from '@pharmatrace/queue';
import type { AlertView } from '../alert-views';
import { ALERT_KINDS, ALERT_STATUSES, AlertKind, AlertStatus } from '../rules/alert-facts';
import { counterAttemptRefusal, inactivePackDecommissioned, withoutPharmacies } from '../rules/inactive-pack-decommissioned.rule';
import { ALERT_COLUMNS, alertUpdates, AlertRow, raiseAlert, toAlertView } from './alert-store';
import { enqueueAlertNotify } from './alert-jobs';

/** Page size cap of verificationAlerts. */
export const MAX_ALERTS_PAGE = 100;
export const MAX_ALERT_NOTE = 2000;

export interface AlertFilter {
  status?: string | null;
  kind?: string | null;
  gtin?: string | null;
  first: number;
  /** An alert id from the previous page (newest first). */
  after?: string | null;
}

/** The transitions of the life cycle: new → under_investigation → closed, new → closed; closed is final. */
const NEXT: Record<AlertStatus, readonly AlertStatus[]> = { new: ['under_investigation', 'closed'], under_investigation: ['closed'], closed: [] };

@Injectable()
export class AlertService {
  private readonly log = new Logger(AlertService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
  ) {}

  /**
   * The alerts `viewer` may see, newest first: regulators all, a manufacturer those on its products, anyone else
   * none. Refuses INVALID_ALERT_FILTER (a status, kind or GTIN that cannot be) and BAD_REQUEST (first outside 1–100).
   */
  async list(viewer: Viewer, filter: AlertFilter): Promise<AlertView[]> {
    if (!Number.isInteger(filter.first) || filter.first < 1 || filter.first > MAX_ALERTS_PAGE) {
      throw new DomainError('BAD_REQUEST', `first must be 1–${MAX_ALERTS_PAGE}; page on with after.`);
    }
    if (filter.status != null && !(ALERT_STATUSES as readonly string[]).includes(filter.status)) throw filterError(`status ${JSON.stringify(filter.status)}`);
    if (filter.kind != null && !(ALERT_KINDS as readonly string[]).includes(filter.kind)) throw filterError(`kind ${JSON.stringify(filter.kind)}`);
    if (filter.gtin != null && !/^\d{14}$/.test(filter.gtin)) throw filterError(`gtin ${JSON.stringify(filter.gtin)}`);
    const scope = this.access.alertScope(viewer);
    if (scope.kind === 'none') return [];
    // $6: the manufacturer whose alerts these are (null: all). The cursor must be one of them too, or a hidden
    // alert's id would page like a visible one and tell that it exists.
    const params: unknown[] = [filter.status ?? null, filter.kind ?? null, filter.gtin ?? null, filter.after ?? null, filter.first, scope.kind === 'manufacturer' ? scope.manufacturerId : null];
    const where = `($1::text IS NULL OR a.status = $1) AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR a.gtin = $3)
      AND ($6::text IS NULL OR a.manufacturer_id = $6)
      AND ($4::text IS NULL OR (a.raised_at, a.id) < (SELECT c.raised_at, c.id FROM verification_alerts c WHERE c.id = $4 AND ($6::text IS NULL OR c.manufacturer_id = $6)))`;
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')} FROM verification_alerts a WHERE ${where} ORDER BY a.raised_at DESC, a.id DESC LIMIT $5`,
      params,
    );
    return this.views(rows, scope);
  }

  /** One alert, or UNKNOWN_ALERT — the same for an alert `viewer` may not see as for a missing one. */
  async get(viewer: Viewer, id: string): Promise<AlertView> {
    const row = await this.visibleRow(viewer, id);
    return (await this.views([row], this.access.alertScope(viewer)))[0];
  }

  /**
   * Moves an alert along its life cycle, writing a verification_alert_updates row and bumping the revision, and
   * queues its notification. Refusals (nothing stored): UNKNOWN_ALERT (missing, or not the caller's to see),
   * ALERT_TRANSITION_INVALID, ALERT_NOTE_REQUIRED (closing without a note), INVALID_ALERT_NOTE (longer than 2000
   * characters, or control / bidirectional-formatting characters; line feeds and tabs are allowed).
   * Roles are checked by the resolver (regulator, manufacturer).
   */
  async update(viewer: Viewer, id: string, status: string, note: string | null): Promise<AlertView> {
    const checkedNote = checkNote(note);
    if (!(ALERT_STATUSES as readonly string[]).includes(status)) {
      throw new DomainError('ALERT_TRANSITION_INVALID', `${JSON.stringify(status)} is not an alert status: use under_investigation or closed.`);
    }
    const to = status as AlertStatus;
    if (to === 'closed' && checkedNote === null) throw new DomainError('ALERT_NOTE_REQUIRED', `Closing ${id} needs a note (1–${MAX_ALERT_NOTE} characters) saying what was found and done.`);
    const revision = await this.dataSource.transaction(async (m) => {
      const rows: AlertRow[] = await m.query(`SELECT ${ALERT_COLUMNS} FROM verification_alerts WHERE id = $1 FOR UPDATE`, [id]);
      const row = rows[0];
      if (!row || !this.access.canSeeAlert(viewer, { manufacturerId: row.manufacturer_id })) throw unknownAlert(id);
      if (!NEXT[row.status].includes(to)) {
        throw new DomainError(
          'ALERT_TRANSITION_INVALID',
          row.status === 'closed'
            ? `${id} is closed, and a closed alert is final; new evidence on the serial (scans after the close) raises a new alert.`
            : `${id} is ${row.status}; it can move to ${NEXT[row.status].join(' or ')}, not to ${to}.`,
        );
      }
      const next = Number(row.revision) + 1;
      await m.query(`UPDATE verification_alerts SET status = $2, revision = $3, updated_at = now() WHERE id = $1`, [id, to, next]);
      await m.query(`INSERT INTO verification_alert_updates (alert_id, revision, status, note, by_participant_id) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        next,
        to,
        checkedNote,
        viewer.participantId,
      ]);
      return next;
    });
    await this.tell(id, revision);
    return this.get(viewer, id);
  }

  /**
   * The counter's refused attempt to supply or decommission `packId` (EMVS A24): when the pack is inactive, raises
   * INACTIVE_PACK_DECOMMISSIONED on it or adds the attempt to the open one — clone-suspected when the attempt was
   * not its custodian's (counterAttemptRefusal). Called after the refused event rolled back, on its own connection. Returns the alert
   * id, or null when the attempt raises nothing.
   */
  async recordCounterRefusal(packId: string, participantId: string, at: Date): Promise<string | null> {
    const outcome = await this.dataSource.transaction(async (m) => {
      const rows: Array<{ gtin: string; serial: string | null; batch_id: string | null; state: string; custodian_id: string; manufacturer_id: string | null }> = await m.query(
        `SELECT i.gtin, i.serial, i.batch_id, i.state, i.custodian_id, p.manufacturer_id FROM custody_items i LEFT JOIN products p ON p.gtin = i.gtin WHERE i.id = $1 AND i.kind = 'pack'`,
        [packId],
      );
      const pack = rows[0];
      const judged = pack ? counterAttemptRefusal({ state: pack.state, custodianId: pack.custodian_id }, participantId) : null;
      if (!pack || judged === null) return null;
      const gtin = pack.gtin.trim();
      const lot = pack.batch_id ? pack.batch_id.slice(pack.batch_id.indexOf('/') + 1) : null;
      const serial = pack.serial ?? packId.slice(`sgtin:${gtin}.`.length);
      const attempt = { refusal: judged.refusal, participantId, at };
      const draft = inactivePackDecommissioned(attempt, null, judged.cloneSuspected);
      return raiseAlert(m, { gtin, serial, lot, manufacturerId: pack.manufacturer_id }, draft, (previous) => inactivePackDecommissioned(attempt, previous).evidence);
    });
    if (outcome?.created) await this.tell(outcome.alertId, outcome.revision);
    return outcome?.alertId ?? null;
  }

  /** Queues the notification; when the queue is down the worker's sweep finds the untold revision. */
  private async tell(alertId: string, revision: number): Promise<void> {
    try {
      await enqueueAlertNotify(this.queues, alertId, revision);
    } catch (e) {
      this.log.warn(`alert ${alertId} revision ${revision} stored but not queued: ${(e as Error).message}`);
    }
  }

  private async visibleRow(viewer: Viewer, id: string): Promise<AlertRow> {
    const rows: AlertRow[] = await this.dataSource.query(`SELECT ${ALERT_COLUMNS} FROM verification_alerts WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row || !this.access.canSeeAlert(viewer, { manufacturerId: row.manufacturer_id })) throw unknownAlert(id);
    return row;
  }

  private async views(rows: AlertRow[], scope: AlertScope): Promise<AlertView[]> {
    const updates = await alertUpdates(this.dataSource.manager, rows.map((r) => r.id));
    return rows.map((r) => {
      const view = toAlertView(r, updates.get(r.id) ?? []);
      return scope.kind === 'all' ? view : { ...view, evidence: withoutPharmacies(view.evidence) };
    });
  }
}

/** The same sentence for a missing alert and one the caller may not see. */
export function unknownAlert(id: string): DomainError {
  return new DomainError('UNKNOWN_ALERT', `No verification alert ${JSON.stringify(id.slice(0, 100))} exists among those you may see; list yours with verificationAlerts.`);
}

function filterError(what: string): DomainError {
  return new DomainError('INVALID_ALERT_FILTER', `The ${what} cannot be: statuses are ${ALERT_STATUSES.join(', ')}; kinds are ${ALERT_KINDS.join(', ')}; a GTIN has 14 digits.`);
}

/** null (no note) or the note as given: 1–2000 characters, line feeds and tabs allowed, no other control character. */
export function checkNote(note: string | null | undefined): string | null {
  if (note === null || note === undefined) return null;
  if (note.trim().length === 0 || note.length > MAX_ALERT_NOTE) {
    throw new DomainError(
      'INVALID_ALERT_NOTE',
      note.length > MAX_ALERT_NOTE
        ? `An alert note is at most ${MAX_ALERT_NOTE} characters; this one has ${note.length}. Shorten it and send again.`
        : 'An alert note must say something (1–2000 characters, not only spaces); write what was found or done, or leave the note out.',
    );
  }
  const found = findControlCharacter(note, { multiline: true });
  if (found) {
    throw new DomainError(
      'INVALID_ALERT_NOTE',
      `The note must not contain ${found.codePoint} (${found.name}), found at character ${found.index + 1}: control and bidirectional-formatting characters can rewrite what reports and terminals show; remove it and send again.`,
    );
  }
  return note;
}
