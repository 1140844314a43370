import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { EventPipeline } from '@pharmatrace/ledger';
import { CatalogEventTypes, CustodyEventTypes } from '@pharmatrace/custody';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { submitTyped } from '../common/typed-submission';
import { EventReceiptModel, SignedEventInput } from '../ledger/ledger.types';

/** The manufacturer at the line: products, batches, commissioning (bulk), and packing into cases and pallets. */
@Resolver()
@Roles('manufacturer')
export class ManufacturerResolver {
  constructor(private readonly pipeline: EventPipeline) {}

  @Mutation(() => EventReceiptModel, { description: 'A signed catalog.product_registered event.' })
  async registerProduct(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [CatalogEventTypes.productRegistered], [input]))[0];
  }

  @Mutation(() => EventReceiptModel, { description: 'A signed catalog.batch_registered event.' })
  async registerBatch(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [CatalogEventTypes.batchRegistered], [input]))[0];
  }

  @Mutation(() => [EventReceiptModel], {
    description: 'Signed custody.commissioned events (≤ 1,000 serials each; up to 1,000 events): all packs are commissioned, or none.',
  })
  commissionPacks(@Args('input', { type: () => [SignedEventInput] }) input: SignedEventInput[], @CurrentCaller() caller: Caller): Promise<EventReceiptModel[]> {
    return submitTyped(this.pipeline, caller, [CustodyEventTypes.commissioned], input);
  }
}
