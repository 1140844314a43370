import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ParticipantRole } from '@pharmatrace/ledger';

@Entity('participants')
export class ParticipantEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'legal_name' }) legalName!: string;
  @Column('text') role!: ParticipantRole;
  @Column('char', { length: 13 }) gln!: string;
  /** Where it operates (optional; shown on the patient page). */
  @Column('text', { nullable: true }) town!: string | null;
  @Column('text', { name: 'licence_number' }) licenceNumber!: string;
  @Column('date', { name: 'licence_expires_on' }) licenceExpiresOn!: string;
  @Column('text') status!: 'active' | 'suspended';
  @Column('text', { name: 'status_reason', nullable: true }) statusReason!: string | null;
  @Column('bigint', { name: 'registered_seq' }) registeredSeq!: string;
  @Column('bigint', { name: 'updated_seq' }) updatedSeq!: string;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt!: Date;
}
