// Answers a checked DSCSA verification request for a token holder: the one verdict (PackVerifier, as an
// anonymous scan: the answer never tells who holds a pack), mapped to LMS, logged in vrs_requests.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';
import { PackVerifier } from '@pharmatrace/verification';
import { CONNECTIVITY_ANSWER, vrsAnswer, VrsResponse } from './vrs-answer';
import type { VrsRequest } from './vrs-request';
import { VrsRequestLog } from './vrs-requests.service';
import type { VrsTokenHolder } from './vrs-tokens.service';

@Injectable()
export class VrsResponder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly verifier: PackVerifier,
    private readonly log: VrsRequestLog,
  ) {}

  /**
   * Whether the holder may ask at all (HTTP 403 otherwise): ACTOR_SUSPENDED, LICENCE_EXPIRED (DSCSA: only
   * authorized trading partners, FD&C Act §581(2)); with a request, VRS_GLN_MISMATCH when its reqGLN is
   * not the holder's GLN.
   */
  assertMayAsk(holder: VrsTokenHolder, request?: VrsRequest): void {
    if (holder.status !== 'active') throw new DomainError('ACTOR_SUSPENDED', 'Your participant is suspended: it may not send verification requests until a regulator reinstates it.');
    if (holder.licenceLapsed) throw new DomainError('LICENCE_EXPIRED', 'Your licence has expired: a trading partner must be authorized to send verification requests; renew it with your regulator.');
    if (request?.reqGLN != null && request.reqGLN !== holder.gln) {
      throw new DomainError('VRS_GLN_MISMATCH', `reqGLN ${request.reqGLN} is not the GLN of the participant this token belongs to; send your own GLN (${holder.gln}).`);
    }
  }

  /** The LMS response, after logging the request. `checkConnectivity` looks up no pack. */
  async answer(holder: VrsTokenHolder, request: VrsRequest, at: Date = new Date()): Promise<VrsResponse> {
    let manufacturerId: string | null;
    let data;
    if (request.checkConnectivity) {
      const [row]: Array<{ manufacturer_id: string }> = await this.dataSource.query('SELECT manufacturer_id FROM products WHERE gtin = $1', [request.ids.gtin]);
      manufacturerId = row?.manufacturer_id ?? null;
      data = { ...CONNECTIVITY_ANSWER };
    } else {
      const verdict = await this.verifier.verify(request.ids, at, null);
      manufacturerId = verdict.product?.manufacturerId ?? null;
      const codes = new Set(verdict.reasons.map((r) => r.code));
      const lotMismatch = !codes.has('UNKNOWN_SERIAL') && (codes.has('BATCH_MISMATCH') || codes.has('UNKNOWN_BATCH'));
      // LMS compares the expiry with the pack GTIN + serial name, not with the batch of the lot sent.
      const expiryMismatch = lotMismatch ? (await this.verifier.verify({ ...request.ids, lot: null }, at, null)).reasons.some((r) => r.code === 'EXPIRY_MISMATCH') : undefined;
      data = vrsAnswer(verdict, { expiryMismatch });
    }
    const [gln]: Array<{ gln: string }> = manufacturerId ? await this.dataSource.query('SELECT gln FROM participants WHERE id = $1', [manufacturerId]) : [];
    await this.log.record(holder.participantId, manufacturerId, request, data);
    const response: VrsResponse = { verificationTimestamp: at.toISOString(), responderGLN: gln?.gln ?? null, data };
    if (request.corrUUID !== null) response.corrUUID = request.corrUUID;
    return response;
  }
}
