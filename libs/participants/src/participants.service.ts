import { Injectable } from '@nestjs/common';
import { DataSource, FindOptionsWhere } from 'typeorm';
import type { ParticipantRole } from '@pharmatrace/ledger';
import { ParticipantEntity } from './entities/participant.entity';
import { ParticipantKeyEntity } from './entities/participant-key.entity';

export interface ParticipantFilter {
  role?: ParticipantRole;
  status?: 'active' | 'suspended';
}

/** Read side of participants and keys. Every change goes through signed events and the pipeline. */
@Injectable()
export class ParticipantsService {
  constructor(private readonly dataSource: DataSource) {}

  get(id: string): Promise<ParticipantEntity | null> {
    return this.dataSource.getRepository(ParticipantEntity).findOne({ where: { id } });
  }

  list(filter: ParticipantFilter, limit: number, offset: number): Promise<ParticipantEntity[]> {
    const where: FindOptionsWhere<ParticipantEntity> = {};
    if (filter.role) where.role = filter.role;
    if (filter.status) where.status = filter.status;
    return this.dataSource.getRepository(ParticipantEntity).find({ where, order: { registeredSeq: 'ASC' }, take: limit, skip: offset });
  }

  keys(participantId: string): Promise<ParticipantKeyEntity[]> {
    return this.dataSource.getRepository(ParticipantKeyEntity).find({ where: { participantId }, order: { addedSeq: 'ASC' } });
  }

  key(kid: string): Promise<ParticipantKeyEntity | null> {
    return this.dataSource.getRepository(ParticipantKeyEntity).findOne({ where: { kid } });
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(ParticipantEntity).count();
  }
}
