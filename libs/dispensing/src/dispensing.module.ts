import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { EventRuleRegistry, LedgerModule } from '@pharmatrace/ledger';
import { decommissionedRule } from './rules/decommissioned.rule';
import { suppliedRule } from './rules/supplied.rule';
import { undoneRule } from './rules/undone.rule';
import { InactivePackRefusals } from './inactive-pack-refusals';

/** Dispensing and the other EU FMD decommissions, and their undo (DESIGN.md "Pack states"). */
@Module({ imports: [LedgerModule], providers: [InactivePackRefusals], exports: [InactivePackRefusals] })
export class DispensingModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRuleRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly refusals: InactivePackRefusals,
  ) {}

  onModuleInit(): void {
    // A refused attempt at an already inactive pack raises the EMVS A24 alert (libs/scan-alerts listens).
    this.registry.register(this.refusals.reporting(suppliedRule));
    this.registry.register(this.refusals.reporting(decommissionedRule));
    this.registry.register(undoneRule(this.config.decommissionUndoDays));
  }
}
