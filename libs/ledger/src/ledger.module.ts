import { Module } from '@nestjs/common';
import { EventPipeline } from './event-pipeline.service';
import { EventRuleRegistry } from './event-rule-registry';
import { LedgerReader } from './ledger-reader.service';
import { LedgerProofs } from './proofs/ledger-proofs.service';
import { SealNotifier } from './sealing/seal-notifier';

@Module({
  providers: [EventRuleRegistry, EventPipeline, LedgerReader, LedgerProofs, SealNotifier],
  exports: [EventRuleRegistry, EventPipeline, LedgerReader, LedgerProofs],
})
export class LedgerModule {}
