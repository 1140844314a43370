import { Module, OnModuleInit } from '@nestjs/common';
import { EventRuleRegistry, LedgerModule } from '@pharmatrace/ledger';
import { ColdChainHistory } from './cold-chain-history.service';
import { ColdChainNotifier } from './cold-chain-notifier';
import { readingsRecordedRule } from './rules/readings-recorded.rule';
import { quarantinedRule, releasedRule } from './rules/quarantine.rules';

/** The cold chain's event rules and read side, for the API and the worker alike. */
@Module({
  imports: [LedgerModule],
  providers: [ColdChainNotifier, ColdChainHistory],
  exports: [ColdChainHistory],
})
export class ColdChainModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRuleRegistry,
    private readonly notifier: ColdChainNotifier,
  ) {}

  onModuleInit(): void {
    this.registry.register(readingsRecordedRule);
    this.registry.register(quarantinedRule);
    this.registry.register(releasedRule);
    this.registry.onAppended((receipts) => this.notifier.appended(receipts));
  }
}
