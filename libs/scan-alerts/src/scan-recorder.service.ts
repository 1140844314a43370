// Records public scans of a pack (the patient's page, apps' JSON) coarsely, and queues each for the
// clone rules (libs/scan-alerts, worker side). What is kept: time, the verdict's status and reasons, a
// region the client chose to give, and a random per-device id the page keeps in local storage. Never an
// IP address, a user agent or anything else that points at a person.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QUEUE_BACKEND, QueueBackendHandle, QueueNames } from '@pharmatrace/queue';

/** Where a scan came from: the HTML page, an app asking for JSON, or the DSCSA responder. */
export type ScanChannel = 'page' | 'app' | 'vrs';

/** A region as the client gives it: an ISO 3166 code (`DE`, `DE-BY`) or an IANA time zone (`Europe/Berlin`). */
export const REGION_PATTERN = /^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2})$/;
/** A device id as the page makes it: 16–64 characters of base64url or hex (a UUID fits). */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface RecordScan {
  gtin: string;
  serial: string;
  channel: ScanChannel;
  /** The verdict's status (PackStatus) and reason codes. */
  status: string;
  reasons: readonly string[];
  /** Dropped unless it matches REGION_PATTERN. */
  region?: string | null;
  /** Dropped unless it matches DEVICE_ID_PATTERN. */
  deviceId?: string | null;
}

/** Seconds after a scan during which the page may attach its device id and region to it. */
export const DEVICE_ATTACH_WINDOW_SECONDS = 600;

@Injectable()
export class ScanRecorder {
  private readonly logger = new Logger(ScanRecorder.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackendHandle,
  ) {}

  /** Stores the scan and queues its clone check; returns the scan id (a UUID the page uses to attach its device). */
  async record(scan: RecordScan): Promise<string> {
    const id = randomUUID();
    const region = scan.region && REGION_PATTERN.test(scan.region) ? scan.region : null;
    const deviceId = scan.deviceId && DEVICE_ID_PATTERN.test(scan.deviceId) ? scan.deviceId : null;
    await this.dataSource.query(
      `INSERT INTO pack_scans (id, gtin, serial, channel, status, reasons, region, device_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, scan.gtin, scan.serial, scan.channel, scan.status, [...scan.reasons], region, deviceId],
    );
    await this.enqueue(id, 'recorded');
    return id;
  }

  /**
   * The page's script names its device (and, when it knows one, its region) for a scan it was just
   * served. Once per scan, within DEVICE_ATTACH_WINDOW_SECONDS; false when the scan is unknown, too old,
   * already named, or the values are malformed (nothing is stored then).
   */
  async attachDevice(scanId: string, deviceId: string, region: string | null): Promise<boolean> {
    if (!DEVICE_ID_PATTERN.test(deviceId) || (region !== null && !REGION_PATTERN.test(region))) return false;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(scanId)) return false;
    // TypeORM's pg driver answers an UPDATE … RETURNING with [rows, affected count].
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE pack_scans SET device_id = $2, region = COALESCE(region, $3)
        WHERE id = $1 AND device_id IS NULL AND scanned_at > now() - make_interval(secs => $4) RETURNING id`,
      [scanId, deviceId, region, DEVICE_ATTACH_WINDOW_SECONDS],
    );
    if (rows.length === 0) return false;
    await this.enqueue(scanId, 'device');
    return true;
  }

  /** Every scan is judged when recorded (unknown serials need no device), and again once its device is named. */
  private async enqueue(scanId: string, step: 'recorded' | 'device'): Promise<void> {
    try {
      await this.queues.queue(QueueNames.scans).add('scan-check', { scanId }, { jobId: `scan-${scanId}-${step}`, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 });
    } catch (e) {
      // The scan is stored; the worker's sweep judges scans left unchecked (checked_at IS NULL).
      this.logger.warn(`scan ${scanId} stored but not queued: ${(e as Error).message}`);
    }
  }
}
