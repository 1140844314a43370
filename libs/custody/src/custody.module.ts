import { Module, OnModuleInit } from '@nestjs/common';
import { EventRuleRegistry, LedgerModule } from '@pharmatrace/ledger';
import { commissionedRule } from './rules/commissioned.rule';
import { destroyedRule, reportedLostRule, reportedStolenRule } from './rules/disposal.rules';
import { receivedRule, refusedRule, shippedRule, shippingVoidedRule } from './rules/handover.rules';
import { packedRule, unpackedRule } from './rules/packing.rules';
import { ItemHistoryService } from './item-history.service';
import { CustodyQueries } from './custody-queries.service';

@Module({
  imports: [LedgerModule],
  providers: [ItemHistoryService, CustodyQueries],
  exports: [ItemHistoryService, CustodyQueries],
})
export class CustodyModule implements OnModuleInit {
  constructor(private readonly registry: EventRuleRegistry) {}

  onModuleInit(): void {
    this.registry.register(commissionedRule);
    this.registry.register(packedRule);
    this.registry.register(unpackedRule);
    this.registry.register(shippedRule);
    this.registry.register(receivedRule);
    this.registry.register(refusedRule);
    this.registry.register(shippingVoidedRule);
    this.registry.register(destroyedRule);
    this.registry.register(reportedStolenRule);
    this.registry.register(reportedLostRule);
  }
}
