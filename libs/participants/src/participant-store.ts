// Writes of participant and key state, inside the pipeline's transaction.
import { EntityManager } from 'typeorm';
import { DomainError } from '@pharmatrace/errors';
import { KeySpec } from './participant-events';
import { ParticipantEntity } from './entities/participant.entity';
import { ParticipantKeyEntity } from './entities/participant-key.entity';

export async function requireParticipant(m: EntityManager, id: string): Promise<ParticipantEntity> {
  const p = await m.findOne(ParticipantEntity, { where: { id } });
  if (!p) throw new DomainError('UNKNOWN_PARTICIPANT', `No participant ${id} is registered.`);
  return p;
}

export async function insertKey(m: EntityManager, participantId: string, key: KeySpec, seq: number, at: Date): Promise<void> {
  const existing = await m.findOne(ParticipantKeyEntity, { where: { kid: key.kid } });
  if (existing) throw new DomainError('KEY_EXISTS', `Key ${key.kid} is already registered (to ${existing.participantId}).`);
  await m.insert(ParticipantKeyEntity, {
    kid: key.kid,
    participantId,
    publicKey: key.publicKey,
    label: key.label,
    kind: key.kind,
    status: 'active',
    addedSeq: String(seq),
    addedAt: at,
  });
}

export async function revokeKey(m: EntityManager, participantId: string, kid: string, reason: string, seq: number, at: Date): Promise<void> {
  const key = await m.findOne(ParticipantKeyEntity, { where: { kid, participantId } });
  if (!key) throw new DomainError('UNKNOWN_KEY', `Key ${kid} is not registered to ${participantId}.`);
  if (key.status === 'revoked') throw new DomainError('KEY_REVOKED', `Key ${kid} is already revoked.`);
  await m.update(ParticipantKeyEntity, { kid }, { status: 'revoked', revokedSeq: String(seq), revokedAt: at, revokedReason: reason });
  await m.query('DELETE FROM auth_sessions WHERE kid = $1', [kid]);
}

export async function activeKeyCount(m: EntityManager, participantId: string): Promise<number> {
  return m.count(ParticipantKeyEntity, { where: { participantId, status: 'active' } });
}

export async function touchParticipant(m: EntityManager, id: string, seq: number, changes: Partial<ParticipantEntity> = {}): Promise<void> {
  await m.update(ParticipantEntity, { id }, { ...changes, updatedSeq: String(seq) });
}
