// Challenge–response sign-in with a participant's key, and short-lived session tokens kept in the
// database (so every API replica sees them, and suspension or key revocation ends them at once).
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { fromBase64Url, sha256Hex, signInMessage, toBase64Url, utf8 } from '@pharmatrace/ledger-core';
import { NodeCryptoVerifier } from '@pharmatrace/ledger-core/node-crypto-verifier';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { DomainError } from '@pharmatrace/errors';
import type { ParticipantRole } from '@pharmatrace/ledger';

export interface Caller {
  participantId: string;
  kid: string;
  role: ParticipantRole;
}

export interface IssuedChallenge {
  nonce: string;
  expiresAt: Date;
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  caller: Caller;
}

interface KeyRow {
  role: ParticipantRole;
  status: string;
  key_status: string;
  public_key: string;
}

@Injectable()
export class AuthService {
  private readonly verifier = new NodeCryptoVerifier();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async challenge(participantId: string, kid: string): Promise<IssuedChallenge> {
    // Answered alike for any (participant, kid), so that the answer does not reveal who is registered; but
    // only a challenge for a registered key is stored, so strangers' requests store nothing. (A revoked key
    // or suspended participant still gets one: whoever holds the key then learns why sign-in is refused.)
    const nonce = toBase64Url(randomBytes(24));
    const expiresAt = new Date(Date.now() + this.config.challengeTtlSeconds * 1000);
    await this.dataSource.query('DELETE FROM auth_challenges WHERE expires_at < now()');
    await this.dataSource.query(
      `INSERT INTO auth_challenges (nonce, participant_id, kid, expires_at)
       SELECT $1, $2, $3, $4 FROM participant_keys k JOIN participants p ON p.id = k.participant_id
        WHERE k.kid = $3 AND k.participant_id = $2`,
      [nonce, participantId, kid, expiresAt],
    );
    return { nonce, expiresAt };
  }

  async signIn(participantId: string, kid: string, nonce: string, signature: string): Promise<IssuedSession> {
    // The challenge is consumed before anything is checked, so a failed attempt cannot be retried.
    // TypeORM answers a DELETE with [rows, affectedCount].
    const [, consumed]: [unknown[], number] = await this.dataSource.query(
      'DELETE FROM auth_challenges WHERE nonce = $1 AND participant_id = $2 AND kid = $3 AND expires_at >= now()',
      [nonce, participantId, kid],
    );
    if (consumed !== 1) throw new DomainError('CHALLENGE_INVALID', 'The challenge is unknown, already used or expired; request a new one.');
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT p.role, p.status, k.status AS key_status, k.public_key
         FROM participants p JOIN participant_keys k ON k.participant_id = p.id
        WHERE p.id = $1 AND k.kid = $2`,
      [participantId, kid],
    );
    const row = rows[0];
    let sig: Uint8Array;
    try {
      sig = fromBase64Url(signature);
    } catch {
      throw new DomainError('MALFORMED_SIGNATURE');
    }
    if (!row || !this.verifier.verify(sig, signInMessage({ participantId, kid, nonce }), fromBase64Url(row.public_key))) {
      throw new DomainError('BAD_SIGNATURE', 'The sign-in signature does not match this participant and key.');
    }
    if (row.key_status !== 'active') throw new DomainError('KEY_REVOKED', `Key ${kid} was revoked and can no longer sign in.`);
    if (row.status !== 'active') throw new DomainError('ACTOR_SUSPENDED', `Participant ${participantId} is suspended.`);
    const token = `pts_${toBase64Url(randomBytes(32))}`;
    const expiresAt = new Date(Date.now() + this.config.sessionTtlSeconds * 1000);
    await this.dataSource.query('DELETE FROM auth_sessions WHERE expires_at < now()');
    // The key or participant may have changed since the check above: insert only if still active.
    const inserted: Array<{ token_hash: string }> = await this.dataSource.query(
      `INSERT INTO auth_sessions (token_hash, participant_id, kid, expires_at)
       SELECT $1, $2, $3, $4 FROM participant_keys k JOIN participants p ON p.id = k.participant_id
        WHERE k.kid = $3 AND k.status = 'active' AND p.id = $2 AND p.status = 'active'
       RETURNING token_hash`,
      [tokenHash(token), participantId, kid, expiresAt],
    );
    if (inserted.length === 0) throw new DomainError('KEY_REVOKED', `Key ${kid} or participant ${participantId} is no longer active.`);
    return { token, expiresAt, caller: { participantId, kid, role: row.role } };
  }

  /** The caller behind a token, or null; a suspended participant or revoked key has no caller. */
  async authenticate(token: string): Promise<Caller | null> {
    const rows: Array<{ participant_id: string; kid: string; role: ParticipantRole }> = await this.dataSource.query(
      `SELECT s.participant_id, s.kid, p.role
         FROM auth_sessions s
         JOIN participants p ON p.id = s.participant_id AND p.status = 'active'
         JOIN participant_keys k ON k.kid = s.kid AND k.status = 'active'
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash(token)],
    );
    const row = rows[0];
    return row ? { participantId: row.participant_id, kid: row.kid, role: row.role } : null;
  }

  async signOut(token: string): Promise<void> {
    await this.dataSource.query('DELETE FROM auth_sessions WHERE token_hash = $1', [tokenHash(token)]);
  }
}

function tokenHash(token: string): string {
  return sha256Hex(utf8(token));
}
