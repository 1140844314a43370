export * from './participant-events';
export * from './entities/participant.entity';
export * from './entities/participant-key.entity';
export * from './participants.service';
export * from './participants.module';
