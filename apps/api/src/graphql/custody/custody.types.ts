import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { EffectiveItem, HistoryEntry, ShipmentView } from '@pharmatrace/custody';
import { JsonScalar } from '../common/json.scalar';

@ObjectType('Item', { description: 'An ingredient lot, pack, case or pallet; custodian and transit are its outermost container’s.' })
export class ItemModel {
  @Field() id!: string;
  @Field() kind!: string;
  @Field({ description: 'the item’s own state (active, in_transit, dispensed, destroyed, recalled, quarantined, …)' }) state!: string;
  @Field() custodianId!: string;
  @Field(() => String, { nullable: true }) parentId!: string | null;
  @Field({ description: 'the outermost container (the item itself when unpacked)' }) topId!: string;
  @Field(() => String, { nullable: true, description: 'the open shipment it travels in' }) inTransitOn!: string | null;
  @Field(() => String, { nullable: true }) batchId!: string | null;
  @Field(() => String, { nullable: true }) gtin!: string | null;
  @Field(() => String, { nullable: true }) expiresOn!: string | null;
}

@ObjectType('Shipment')
export class ShipmentModel {
  @Field() id!: string;
  @Field() fromId!: string;
  @Field() toId!: string;
  @Field() state!: string;
  @Field(() => [String]) items!: string[];
  @Field(() => Int) shippedSeq!: number;
  @Field(() => Int, { nullable: true }) closedSeq!: number | null;
}

@ObjectType('HistoryEntry')
export class HistoryEntryModel {
  @Field(() => Int) seq!: number;
  @Field() hash!: string;
  @Field() type!: string;
  @Field() at!: string;
  @Field() actor!: string;
  @Field({ description: 'the asset the event touched: the item, or a container it sat in' }) via!: string;
  @Field(() => JsonScalar) event!: unknown;
  @Field({ description: 'valid, invalid or unknown-key, checked now' }) signature!: string;
  @Field(() => Int, { nullable: true, description: 'the block that sealed it; null until sealed' }) blockHeight!: number | null;
}

export const toItemModel = (i: EffectiveItem): ItemModel => ({
  id: i.id,
  kind: i.kind,
  state: i.state,
  custodianId: i.custodianId,
  parentId: i.parentId,
  topId: i.topId,
  inTransitOn: i.inTransitOn,
  batchId: i.batchId,
  gtin: i.gtin,
  expiresOn: i.expiresOn,
});
export const toShipmentModel = (s: ShipmentView): ShipmentModel => ({ ...s });
export const toHistoryModel = (h: HistoryEntry): HistoryEntryModel => ({ ...h });
