import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { EventPipeline } from '@pharmatrace/ledger';
import { CatalogEventTypes } from '@pharmatrace/custody';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { submitTyped } from '../common/typed-submission';
import { EventReceiptModel, SignedEventInput } from '../ledger/ledger.types';

/** The ingredient supplier: lots with their certificate of origin (shipping is the common custody path). */
@Resolver()
@Roles('supplier')
export class SupplierResolver {
  constructor(private readonly pipeline: EventPipeline) {}

  @Mutation(() => EventReceiptModel, { description: 'A signed catalog.ingredient_lot_registered event.' })
  async registerIngredientLot(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [CatalogEventTypes.ingredientLotRegistered], [input]))[0];
  }
}
