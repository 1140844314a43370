// Bearer tokens for the DSCSA verification responder: a trading partner issues one per system that asks
// (its VRS requester), sees it once, and may revoke it. Only the SHA-256 of a token is stored.
import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';
import type { ParticipantRole } from '@pharmatrace/ledger';

/**
 * Who may hold a VRS token: DSCSA trading partners (FD&C Act §581(23)) — manufacturers, wholesale
 * distributors and dispensers. Regulators read every request log instead; suppliers of ingredients and
 * prescribers are not trading partners in finished products.
 */
export const VRS_TOKEN_ROLES: readonly ParticipantRole[] = ['manufacturer', 'wholesaler', 'pharmacy'];
/** Active (not revoked) tokens a participant may hold at once. */
export const MAX_ACTIVE_VRS_TOKENS = 20;
/** A token's label: 1–100 characters, no control or bidirectional-formatting characters. */
export const MAX_VRS_TOKEN_LABEL = 100;

export interface VrsTokenView {
  id: string;
  label: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC; null when never used. */
  lastUsedAt: string | null;
  /** ISO 8601 UTC; null while active. */
  revokedAt: string | null;
}

export interface IssuedVrsToken extends VrsTokenView {
  /** 32 random bytes, base64url (43 characters): shown once, never stored. */
  token: string;
}

/** The participant a valid token belongs to, as the responder needs it. */
export interface VrsTokenHolder {
  tokenId: string;
  participantId: string;
  role: ParticipantRole;
  gln: string;
  legalName: string;
  status: 'active' | 'suspended';
  /** True when its licence's expiry date is before today (UTC). */
  licenceLapsed: boolean;
}

interface TokenRow {
  id: string;
  label: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected count]. */
function updatedRows<T>(result: [T[], number] | T[]): T[] {
  return Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

const sha256 = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const view = (r: TokenRow): VrsTokenView => ({
  id: r.id,
  label: r.label,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

@Injectable()
export class VrsTokenService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Issues a token for the caller itself. Errors: FORBIDDEN_ROLE (not a trading partner),
   * VRS_TOKEN_LABEL_INVALID, VRS_TOKEN_LIMIT (MAX_ACTIVE_VRS_TOKENS active already).
   */
  async issue(participantId: string, role: ParticipantRole, label: string): Promise<IssuedVrsToken> {
    if (!VRS_TOKEN_ROLES.includes(role)) {
      throw new DomainError('FORBIDDEN_ROLE', `VRS tokens are for DSCSA trading partners (${VRS_TOKEN_ROLES.join(', ')}); you are signed in as a ${role}.`);
    }
    const trimmed = label.trim();
    if (trimmed.length === 0 || trimmed.length > MAX_VRS_TOKEN_LABEL || /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(trimmed)) {
      throw new DomainError('VRS_TOKEN_LABEL_INVALID', `Give the token a label of 1–${MAX_VRS_TOKEN_LABEL} characters without control characters, e.g. the name of the system that will use it.`);
    }
    const token = randomBytes(32).toString('base64url');
    const id = `vrs-token:${randomUUID()}`;
    return this.dataSource.transaction(async (m) => {
      // One participant's issues are serialised, so the limit holds under concurrent requests.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`vrs-tokens:${participantId}`]);
      const [{ n }]: Array<{ n: string }> = await m.query('SELECT count(*) AS n FROM vrs_tokens WHERE participant_id = $1 AND revoked_at IS NULL', [participantId]);
      if (Number(n) >= MAX_ACTIVE_VRS_TOKENS) {
        throw new DomainError('VRS_TOKEN_LIMIT', `You already have ${MAX_ACTIVE_VRS_TOKENS} active VRS tokens; revoke one you no longer use (myVrsTokens lists them) before issuing another.`);
      }
      const [row]: TokenRow[] = await m.query(
        `INSERT INTO vrs_tokens (id, participant_id, token_sha256, label) VALUES ($1, $2, $3, $4)
         RETURNING id, label, created_at, last_used_at, revoked_at`,
        [id, participantId, sha256(token), trimmed],
      );
      return { ...view(row), token };
    });
  }

  /** The participant's tokens, newest first (at most MAX_ACTIVE_VRS_TOKENS active plus the 100 latest revoked). */
  async list(participantId: string): Promise<VrsTokenView[]> {
    const rows: TokenRow[] = await this.dataSource.query(
      `(SELECT id, label, created_at, last_used_at, revoked_at FROM vrs_tokens WHERE participant_id = $1 AND revoked_at IS NULL)
       UNION ALL
       (SELECT id, label, created_at, last_used_at, revoked_at FROM vrs_tokens WHERE participant_id = $1 AND revoked_at IS NOT NULL ORDER BY revoked_at DESC LIMIT 100)
       ORDER BY created_at DESC, id`,
      [participantId],
    );
    return rows.map(view);
  }

  /** Revokes one of the participant's own tokens (idempotent). UNKNOWN_VRS_TOKEN for another's or an unknown id, alike. */
  async revoke(participantId: string, id: string): Promise<VrsTokenView> {
    const [row] = updatedRows<TokenRow>(await this.dataSource.query(
      `UPDATE vrs_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND participant_id = $2
       RETURNING id, label, created_at, last_used_at, revoked_at`,
      [id, participantId],
    ));
    if (!row) throw new DomainError('UNKNOWN_VRS_TOKEN', `You have no VRS token ${id.slice(0, 80)}; myVrsTokens lists yours.`);
    return view(row);
  }

  /** The holder of an active token, recording its use; null for an unknown or revoked token. */
  async authenticate(token: string): Promise<VrsTokenHolder | null> {
    if (token.length === 0 || token.length > 200) return null;
    type HolderRow = { token_id: string; participant_id: string; role: ParticipantRole; gln: string; legal_name: string; status: 'active' | 'suspended'; lapsed: boolean };
    const [row] = updatedRows<HolderRow>(
      await this.dataSource.query(
        `UPDATE vrs_tokens t SET last_used_at = now() FROM participants p
          WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND p.id = t.participant_id
          RETURNING t.id AS token_id, p.id AS participant_id, p.role, p.gln, p.legal_name, p.status,
                    p.licence_expires_on < (now() AT TIME ZONE 'UTC')::date AS lapsed`,
        [sha256(token)],
      ),
    );
    if (!row) return null;
    return {
      tokenId: row.token_id,
      participantId: row.participant_id,
      role: row.role,
      gln: row.gln,
      legalName: row.legal_name,
      status: row.status,
      licenceLapsed: row.lapsed,
    };
  }
}
