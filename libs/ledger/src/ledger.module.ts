import { Module } from '@nestjs/common';
import { EventPipeline } from './event-pipeline.service';
import { EventRuleRegistry } from './event-rule-registry';
import { LedgerReader } from './ledger-reader.service';

@Module({
  providers: [EventRuleRegistry, EventPipeline, LedgerReader],
  exports: [EventRuleRegistry, EventPipeline, LedgerReader],
})
export class LedgerModule {}
