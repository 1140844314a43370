// The log of DSCSA verification requests (vrs_requests): every authorised request, connectivity checks
// and no-match answers included, for the product's manufacturer (DSCSA: the manufacturer answers, and
// knows who asked) and regulators. Who reads which rows is AccessPolicy.vrsRequestScope.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessPolicy, Viewer } from '@pharmatrace/access';
import { DomainError } from '@pharmatrace/errors';
import type { VrsAnswerData } from './vrs-answer';
import type { VrsRequest } from './vrs-request';

/** Page size cap of vrsRequests (like GitHub's GraphQL `first` ≤ 100). */
export const MAX_VRS_REQUESTS_PAGE = 100;

export interface VrsRequestView {
  /** Decimal string; the cursor of the next page is the last one's id. */
  id: string;
  /** ISO 8601 UTC. */
  requestedAt: string;
  requesterId: string;
  requesterName: string;
  requesterGln: string;
  /** The product's manufacturer; null when the GTIN is not registered. */
  manufacturerId: string | null;
  gtin: string;
  lot: string | null;
  serial: string | null;
  /** YYYY-MM-DD as sent. */
  expiry: string | null;
  context: string | null;
  reqGln: string | null;
  corrUuid: string | null;
  checkConnectivity: boolean;
  verified: boolean | null;
  verificationFailureReason: string | null;
  additionalInfo: string | null;
}

interface Row {
  id: string;
  requested_at: Date;
  requester_id: string;
  requester_name: string;
  requester_gln: string;
  manufacturer_id: string | null;
  gtin: string;
  lot: string | null;
  serial: string | null;
  expiry: string | null;
  context: string | null;
  req_gln: string | null;
  corr_uuid: string | null;
  check_connectivity: boolean;
  verified: boolean | null;
  failure_reason: string | null;
  additional_info: string | null;
}

@Injectable()
export class VrsRequestLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
  ) {}

  /** Records one answered request. */
  async record(requesterId: string, manufacturerId: string | null, request: VrsRequest, answer: VrsAnswerData): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO vrs_requests (requester_id, manufacturer_id, gtin, lot, serial, expiry, context, req_gln, corr_uuid, check_connectivity, verified, failure_reason, additional_info)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        requesterId, manufacturerId, request.ids.gtin, request.ids.lot, request.ids.serial, request.ids.expiry, request.context, request.reqGLN,
        request.corrUUID, request.checkConnectivity, answer.verified, answer.verificationFailureReason ?? null, answer.additionalInfo ?? null,
      ],
    );
  }

  /**
   * The requests the viewer may read, newest first. `first` 1–MAX_VRS_REQUESTS_PAGE; `after` the id of the
   * previous page's last entry. Errors: BAD_REQUEST for a page size out of range or a cursor that is not an id.
   */
  async list(viewer: Viewer, page: { first: number; after?: string | null }): Promise<VrsRequestView[]> {
    if (!Number.isInteger(page.first) || page.first < 1 || page.first > MAX_VRS_REQUESTS_PAGE) {
      throw new DomainError('BAD_REQUEST', `first must be 1–${MAX_VRS_REQUESTS_PAGE}.`);
    }
    if (page.after != null && !/^[1-9]\d{0,17}$/.test(page.after)) {
      throw new DomainError('BAD_REQUEST', 'after must be the id of an entry of the previous page.');
    }
    const scope = this.access.vrsRequestScope(viewer);
    const where =
      scope.kind === 'all' ? 'TRUE' : scope.kind === 'aboutOrBy' ? '(r.manufacturer_id = $3 OR r.requester_id = $3)' : 'r.requester_id = $3';
    const select = `SELECT r.id::text AS id, r.requested_at, r.requester_id, p.legal_name AS requester_name, p.gln AS requester_gln, r.manufacturer_id,
              r.gtin, r.lot, r.serial, r.expiry, r.context, r.req_gln, r.corr_uuid, r.check_connectivity, r.verified, r.failure_reason, r.additional_info
         FROM vrs_requests r JOIN participants p ON p.id = r.requester_id`;
    const cond = `($2::bigint IS NULL OR r.id < $2::bigint)`;
    const params: unknown[] = [page.first, page.after ?? null];
    if (scope.kind !== 'all') params.push(scope.participantId);
    // Two index scans (vrs_requests_manufacturer, vrs_requests_requester) rather than one OR over the table.
    const sql =
      scope.kind === 'aboutOrBy'
        ? `SELECT * FROM ((${select} WHERE r.manufacturer_id = $3 AND ${cond} ORDER BY r.id DESC LIMIT $1)
             UNION (${select} WHERE r.requester_id = $3 AND ${cond} ORDER BY r.id DESC LIMIT $1)) u ORDER BY id::bigint DESC LIMIT $1`
        : `${select} WHERE ${where} AND ${cond} ORDER BY r.id DESC LIMIT $1`;
    const rows: Row[] = await this.dataSource.query(sql, params);
    return rows.map((r) => ({
      id: r.id,
      requestedAt: r.requested_at.toISOString(),
      requesterId: r.requester_id,
      requesterName: r.requester_name,
      requesterGln: r.requester_gln,
      manufacturerId: r.manufacturer_id,
      gtin: r.gtin,
      lot: r.lot,
      serial: r.serial,
      expiry: r.expiry,
      context: r.context,
      reqGln: r.req_gln,
      corrUuid: r.corr_uuid,
      checkConnectivity: r.check_connectivity,
      verified: r.verified,
      verificationFailureReason: r.failure_reason,
      additionalInfo: r.additional_info,
    }));
  }
}
