import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { EventRuleRegistry, LedgerModule } from '@pharmatrace/ledger';
import { decommissionedRule } from './rules/decommissioned.rule';
import { suppliedRule } from './rules/supplied.rule';
import { undoneRule } from './rules/undone.rule';

/** Dispensing and the other EU FMD decommissions, and their undo (DESIGN.md "Pack states"). */
@Module({ imports: [LedgerModule] })
export class DispensingModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRuleRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(suppliedRule);
    this.registry.register(decommissionedRule);
    this.registry.register(undoneRule(this.config.decommissionUndoDays));
  }
}
