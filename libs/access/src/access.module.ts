import { Module } from '@nestjs/common';
import { LedgerModule } from '@pharmatrace/ledger';
import { AccessPolicy } from './access-policy.service';
import { AccessAssetVisibility } from './asset-visibility.adapter';

/** The read-access model (docs/access-model.md): one policy every query asks, and the write path too. */
@Module({ imports: [LedgerModule], providers: [AccessPolicy, AccessAssetVisibility], exports: [AccessPolicy] })
export class AccessModule {}
