import { Module, OnModuleInit } from '@nestjs/common';
import { EventRuleRegistry, LedgerModule } from '@pharmatrace/ledger';
import { batchRegisteredRule } from './rules/batch-registered.rule';
import { ingredientLotRegisteredRule } from './rules/ingredient-lot-registered.rule';
import { productRegisteredRule } from './rules/product-registered.rule';

@Module({ imports: [LedgerModule] })
export class CatalogModule implements OnModuleInit {
  constructor(private readonly registry: EventRuleRegistry) {}

  onModuleInit(): void {
    this.registry.register(productRegisteredRule);
    this.registry.register(ingredientLotRegisteredRule);
    this.registry.register(batchRegisteredRule);
  }
}
