import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { EventPipeline } from '@pharmatrace/ledger';
import { CUSTODIAN_ROLES, CustodyEventTypes, CustodyQueries, ItemHistoryService } from '@pharmatrace/custody';
import { AccessPolicy } from '@pharmatrace/access';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { submitTyped } from '../common/typed-submission';
import { EventReceiptModel, SignedEventInput } from '../ledger/ledger.types';
import { HistoryEntryModel, ItemModel, ShipmentModel, toHistoryModel, toItemModel, toShipmentModel } from './custody.types';

/** What every custodian does with goods in hand, and what anyone signed in may look up about an item. */
@Resolver()
export class CustodyResolver {
  constructor(
    private readonly pipeline: EventPipeline,
    private readonly queries: CustodyQueries,
    private readonly history: ItemHistoryService,
    private readonly access: AccessPolicy,
  ) {}

  private async one(caller: Caller, type: string, input: SignedEventInput): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [type], [input]))[0];
  }

  @Roles(...CUSTODIAN_ROLES)
  @Mutation(() => [EventReceiptModel], { description: 'Signed custody.packed / custody.unpacked events, atomically.' })
  pack(@Args('input', { type: () => [SignedEventInput] }) input: SignedEventInput[], @CurrentCaller() caller: Caller): Promise<EventReceiptModel[]> {
    return submitTyped(this.pipeline, caller, [CustodyEventTypes.packed, CustodyEventTypes.unpacked], input);
  }

  @Roles(...CUSTODIAN_ROLES)
  @Mutation(() => EventReceiptModel, { description: 'A signed custody.shipped event: items go in transit to the named participant.' })
  ship(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return this.one(caller, CustodyEventTypes.shipped, input);
  }

  @Roles(...CUSTODIAN_ROLES)
  @Mutation(() => EventReceiptModel, { description: 'A signed custody.received event by the shipment’s recipient.' })
  receive(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return this.one(caller, CustodyEventTypes.received, input);
  }

  @Roles(...CUSTODIAN_ROLES)
  @Mutation(() => EventReceiptModel, { description: 'A signed custody.refused event: the items go back to the sender.' })
  refuse(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return this.one(caller, CustodyEventTypes.refused, input);
  }

  @Roles(...CUSTODIAN_ROLES)
  @Mutation(() => EventReceiptModel, { description: 'A signed custody.shipping_voided event (CBV void_shipping) by the sender of a shipment still in transit: the items come back to the sender.' })
  voidShipment(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return this.one(caller, CustodyEventTypes.shippingVoided, input);
  }

  @Roles(...CUSTODIAN_ROLES)
  @Mutation(() => EventReceiptModel, { description: 'A signed custody.destroyed, custody.reported_stolen or custody.reported_lost event.' })
  async reportDisposal(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    const types = [CustodyEventTypes.destroyed, CustodyEventTypes.reportedStolen, CustodyEventTypes.reportedLost];
    return (await submitTyped(this.pipeline, caller, types, [input]))[0];
  }

  @Query(() => ItemModel, { nullable: true, description: 'An item’s current state: for its custodian, the recipient it is on the way to, and regulators; null for anyone else, as for an unknown id.' })
  async item(@Args('id') id: string, @CurrentCaller() caller: Caller): Promise<ItemModel | null> {
    if (!(await this.access.seesCurrentState(caller, id))) return null;
    const item = await this.queries.item(id);
    return item ? toItemModel(item) : null;
  }

  @Query(() => [String], { description: 'What a case or pallet holds directly (empty unless you may see its current state).' })
  async containerContents(@Args('id') id: string, @CurrentCaller() caller: Caller): Promise<string[]> {
    return (await this.access.seesCurrentState(caller, id)) ? this.queries.contents(id) : [];
  }

  @Query(() => [HistoryEntryModel], {
    description:
      'Every event on the item or on a container while it was inside, in order, up to the last event you took part in (all of it while you hold the item). UNKNOWN_ITEM when there is none you may see.',
  })
  async itemHistory(@Args('id') id: string, @CurrentCaller() caller: Caller): Promise<HistoryEntryModel[]> {
    return (await this.history.history(id, await this.access.horizon(caller, id))).map(toHistoryModel);
  }

  @Query(() => ShipmentModel, { nullable: true, description: 'A shipment, for its sender, its recipient and regulators; null for anyone else.' })
  async shipment(@Args('id') id: string, @CurrentCaller() caller: Caller): Promise<ShipmentModel | null> {
    const s = await this.queries.shipment(id);
    return s && this.access.canSeeShipment(caller, s) ? toShipmentModel(s) : null;
  }

  @Roles(...CUSTODIAN_ROLES)
  @Query(() => [ShipmentModel], { description: 'Shipments addressed to you that wait to be received or refused.' })
  async incomingShipments(@CurrentCaller() caller: Caller): Promise<ShipmentModel[]> {
    return (await this.queries.incoming(caller.participantId)).map(toShipmentModel);
  }
}
