import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { KeyKind } from '../participant-events';

@Entity('participant_keys')
export class ParticipantKeyEntity {
  @PrimaryColumn('text') kid!: string;
  @Column('text', { name: 'participant_id' }) participantId!: string;
  @Column('text', { name: 'public_key' }) publicKey!: string;
  @Column('text') label!: string;
  @Column('text') kind!: KeyKind;
  @Column('text') status!: 'active' | 'revoked';
  @Column('bigint', { name: 'added_seq' }) addedSeq!: string;
  @Column('bigint', { name: 'revoked_seq', nullable: true }) revokedSeq!: string | null;
  @Column('timestamptz', { name: 'added_at' }) addedAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('text', { name: 'revoked_reason', nullable: true }) revokedReason!: string | null;
}
