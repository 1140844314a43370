import { Module, OnModuleInit } from '@nestjs/common';
import { EventRuleRegistry, LedgerModule } from '@pharmatrace/ledger';
import { PrescriptionQueries } from './prescription-queries.service';
import { prescriptionCancelledRule, prescriptionIssuedRule } from './rules/prescription.rules';

/** Prescriptions: the prescriber's event rules and the read side (docs/prescriptions.md). */
@Module({
  imports: [LedgerModule],
  providers: [PrescriptionQueries],
  exports: [PrescriptionQueries],
})
export class PrescriptionsModule implements OnModuleInit {
  constructor(private readonly registry: EventRuleRegistry) {}

  onModuleInit(): void {
    this.registry.register(prescriptionIssuedRule);
    this.registry.register(prescriptionCancelledRule);
  }
}
