import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '../common/json.scalar';

@InputType()
export class SignedEventInput {
  @Field(() => JsonScalar, { description: 'The event envelope {type, id, actor, kid, at, assets, data}.' })
  event!: unknown;
  @Field({ description: 'base64url Ed25519 signature over the event’s signing message' })
  sig!: string;
}

@ObjectType('EventReceipt')
export class EventReceiptModel {
  @Field(() => Int, { description: 'Position of the event in the submitted batch.' }) index!: number;
  @Field(() => Int, { description: 'Global sequence number in the ledger.' }) seq!: number;
  @Field({ description: 'SHA-256 (hex) of the canonical event: its identity and the next prev of its assets.' }) hash!: string;
  @Field() eventId!: string;
  @Field() type!: string;
  @Field({ description: 'True when this exact event was already stored: nothing new was written.' }) duplicate!: boolean;
  @Field(() => JsonScalar) result!: unknown;
}

@ObjectType('LedgerEvent')
export class LedgerEventModel {
  @Field(() => Int) seq!: number;
  @Field() hash!: string;
  @Field() type!: string;
  @Field(() => JsonScalar) event!: unknown;
  @Field() sig!: string;
  @Field(() => JsonScalar) result!: unknown;
  @Field() receivedAt!: Date;
}

@ObjectType('AssetHead')
export class AssetHeadModel {
  @Field() assetId!: string;
  @Field({ description: 'hash of the last event on the asset: the prev to cite next' }) head!: string;
}
