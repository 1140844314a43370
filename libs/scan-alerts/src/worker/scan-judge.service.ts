// Worker side of the clone rules: judges a recorded scan ('scan-check' jobs, and a sweep of scans left unchecked)
// against the serial's other scans and the pack's state in the chain, raises or updates alerts, marks the scan
// checked, and queues each new alert's notification. Each kind counts only the scans after its latest closed alert
// on the serial (a closed false positive stays closed), and UNKNOWN_SERIAL alerts are bounded per GTIN and hour.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { QUEUE_BACKEND, QueueBackendHandle } from '@pharmatrace/queue';
import { AlertDraft, AlertKind, MAX_EARLIER_SCANS, PackFacts, ScanFact } from '../rules/alert-facts';
import { judgeScan, LastClosed, scansAfterClose } from '../rules/judge-scan';
import { keepOtherSerials, MAX_UNKNOWN_SERIAL_ALERTS_PER_HOUR, withOtherSerial } from '../rules/unknown-serial.rule';
import { addToLatestOpenAlert, AlertSubject, alertsRaisedWithin, hasOpenAlert, raiseAlert, RaiseOutcome } from '../alerts/alert-store';
import { enqueueAlertNotify } from '../alerts/alert-jobs';

/** Pack states in which a pack has left the supply chain (supplied to a patient, or decommissioned). */
const INACTIVE_STATES = ['supplied', 'dispensed', 'sample', 'free_sample', 'locked', 'exported', 'destroyed', 'stolen', 'lost', 'consumed'];
/** A scan is swept when unchecked this long after it was recorded (its job was lost, or the queue was down). */
const SWEEP_AFTER_SECONDS = 60;
const SWEEP_BATCH = 200;

interface ScanRow {
  id: string;
  gtin: string;
  serial: string;
  scanned_at: Date;
  region: string | null;
  device_id: string | null;
}

interface JudgedRow extends ScanRow {
  checked_at: Date | null;
}

export interface JudgeOutcome {
  /** false: no such scan. */
  found: boolean;
  alerts: RaiseOutcome[];
}

@Injectable()
export class ScanJudge {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
  ) {}

  /** Judges one scan (again, when its device was attached since); idempotent: an open alert only gets new evidence. */
  async judge(scanId: string): Promise<JudgeOutcome> {
    const outcome = await this.dataSource.transaction(async (m) => {
      const rows: JudgedRow[] = await m.query(`SELECT id, gtin, serial, scanned_at, region, device_id, checked_at FROM pack_scans WHERE id = $1`, [scanId]);
      const row = rows[0];
      if (!row) return { found: false, alerts: [] };
      const gtin = row.gtin.trim();
      // One judgement per serial at a time, so that two scans judged together see each other.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`scan-alerts:${gtin}.${row.serial}`]);
      const pack = await packFacts(m, gtin, row.serial);
      const earlier: ScanRow[] = await m.query(
        `SELECT id, gtin, serial, scanned_at, region, device_id FROM pack_scans WHERE gtin = $1 AND serial = $2 AND id <> $3 ORDER BY scanned_at DESC LIMIT $4`,
        [gtin, row.serial, scanId, MAX_EARLIER_SCANS],
      );
      // A closed alert settles the scans it judged: each kind counts only scans after its latest close.
      const closed: Array<{ kind: AlertKind; closed_at: Date }> = await m.query(
        `SELECT kind, max(updated_at) AS closed_at FROM verification_alerts WHERE gtin = $1 AND serial = $2 AND status = 'closed' GROUP BY kind`,
        [gtin, row.serial],
      );
      const lastClosed: LastClosed = Object.fromEntries(closed.map((c) => [c.kind, new Date(c.closed_at)]));
      const scan = toFact(row);
      const earlierFacts = earlier.map(toFact);
      const drafts = judgeScan(scan, earlierFacts, pack, this.config.cloneDetection, lastClosed);
      const alerts: RaiseOutcome[] = [];
      for (const draft of drafts) {
        const subject = { gtin, serial: row.serial, lot: pack.kind === 'pack' ? pack.lot : null, manufacturerId: pack.kind === 'unknown_product' ? null : pack.manufacturerId };
        if (draft.kind === 'UNKNOWN_SERIAL' && subject.manufacturerId !== null) {
          // The serial's first scan (since its last alert was closed): none counted before it, however they are judged.
          const before = (scansAfterClose('UNKNOWN_SERIAL', scan, earlierFacts, lastClosed) ?? []).filter((s) => s.scannedAt.getTime() < scan.scannedAt.getTime());
          const newSerial = before.length === 0;
          alerts.push(await raiseUnknownSerial(m, { ...subject, manufacturerId: subject.manufacturerId }, draft, { serial: row.serial, at: scan.scannedAt, newScan: row.checked_at === null, newSerial }));
        } else {
          alerts.push(await raiseAlert(m, subject, draft));
        }
      }
      await m.query(`UPDATE pack_scans SET checked_at = now() WHERE id = $1`, [scanId]);
      return { found: true, alerts };
    });
    for (const a of outcome.alerts) if (a.created) await enqueueAlertNotify(this.queues, a.alertId, a.revision);
    return outcome;
  }

  /** Judges scans left unchecked for over a minute (oldest first, SWEEP_BATCH at a time); returns how many. */
  async sweep(): Promise<number> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM pack_scans WHERE checked_at IS NULL AND scanned_at < now() - make_interval(secs => $1) ORDER BY scanned_at LIMIT $2`,
      [SWEEP_AFTER_SECONDS, SWEEP_BATCH],
    );
    for (const r of rows) await this.judge(r.id);
    return rows.length;
  }
}

/**
 * UNKNOWN_SERIAL, bounded per GTIN: a serial with its own open alert updates it; otherwise, once the GTIN raised
 * MAX_UNKNOWN_SERIAL_ALERTS_PER_HOUR of them within the hour, the scan joins the evidence of the GTIN's most recent
 * open one (withOtherSerial: no new alert, no notification) — a flood of random serials cannot fan out alerts.
 */
async function raiseUnknownSerial(
  m: EntityManager,
  subject: AlertSubject & { manufacturerId: string },
  draft: AlertDraft,
  scan: { serial: string; at: Date; newScan: boolean; newSerial: boolean },
): Promise<RaiseOutcome> {
  // The serial's own lock is held (judge); no other path raises this kind, so its open alert cannot appear meanwhile.
  if (!(await hasOpenAlert(m, subject.gtin, subject.serial, 'UNKNOWN_SERIAL'))) {
    // One count per GTIN at a time, so that concurrent serials cannot all slip under the bound.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`scan-alerts:unknown-serial:${subject.gtin}`]);
    const recent = await alertsRaisedWithin(m, subject.gtin, subject.manufacturerId, 'UNKNOWN_SERIAL', 3600, MAX_UNKNOWN_SERIAL_ALERTS_PER_HOUR);
    if (recent >= MAX_UNKNOWN_SERIAL_ALERTS_PER_HOUR) {
      const joined = await addToLatestOpenAlert(m, subject.gtin, 'UNKNOWN_SERIAL', (previous) => withOtherSerial(previous, scan));
      if (joined) return joined;
    }
  }
  return raiseAlert(m, subject, draft, (previous) => keepOtherSerials(previous, draft.evidence));
}

function toFact(r: ScanRow): ScanFact {
  return { id: r.id, scannedAt: new Date(r.scanned_at), region: r.region, deviceId: r.device_id };
}

/** What the chain says of the serial: an unknown product, an unknown serial of a registered one, or the pack's state. */
async function packFacts(m: EntityManager, gtin: string, serial: string): Promise<PackFacts> {
  const packs: Array<{ state: string; batch_id: string | null; manufacturer_id: string; inactive_since: Date | null }> = await m.query(
    `SELECT i.state, i.batch_id, p.manufacturer_id, CASE WHEN i.state = ANY($2::text[]) THEN e.at END AS inactive_since
       FROM custody_items i JOIN products p ON p.gtin = i.gtin LEFT JOIN ledger_events e ON e.seq = i.updated_seq
      WHERE i.id = $1 AND i.kind = 'pack'`,
    [`sgtin:${gtin}.${serial}`, INACTIVE_STATES],
  );
  const pack = packs[0];
  if (pack) {
    const lot = pack.batch_id ? pack.batch_id.slice(pack.batch_id.indexOf('/') + 1) : null;
    return { kind: 'pack', manufacturerId: pack.manufacturer_id, lot, state: pack.state, inactiveSince: pack.inactive_since ? new Date(pack.inactive_since) : null };
  }
  const products: Array<{ manufacturer_id: string }> = await m.query(`SELECT manufacturer_id FROM products WHERE gtin = $1`, [gtin]);
  return products[0] ? { kind: 'unknown_serial', manufacturerId: products[0].manufacturer_id } : { kind: 'unknown_product' };
}
