import { Module, OnModuleInit } from '@nestjs/common';
import { AccessModule } from '@pharmatrace/access';
import { EventRuleRegistry, LedgerModule } from '@pharmatrace/ledger';
import { RecallQueries } from './recall-queries.service';
import { recallAcknowledgedRule } from './rules/recall-acknowledged.rule';
import { recallAmendedRule } from './rules/recall-amended.rule';
import { recallClosedRule } from './rules/recall-closed.rule';
import { recallInitiatedRule } from './rules/recall-initiated.rule';

/** Recalls (DESIGN.md "Recalls and tracing"): their four event rules and the read side. */
@Module({ imports: [LedgerModule, AccessModule], providers: [RecallQueries], exports: [RecallQueries] })
export class RecallsModule implements OnModuleInit {
  constructor(private readonly registry: EventRuleRegistry) {}

  onModuleInit(): void {
    this.registry.register(recallInitiatedRule);
    this.registry.register(recallAmendedRule);
    this.registry.register(recallClosedRule);
    this.registry.register(recallAcknowledgedRule);
  }
}
