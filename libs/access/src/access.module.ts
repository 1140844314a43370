import { Module } from '@nestjs/common';
import { AccessPolicy } from './access-policy.service';

/** The read-access model (docs/access-model.md): one policy every query asks. */
@Module({ providers: [AccessPolicy], exports: [AccessPolicy] })
export class AccessModule {}
