import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';

@InputType('PackLabelSignatureInput', { description: 'One pack’s label signature, computed client-side (docs/pack-labels.md).' })
export class PackLabelSignatureInput {
  @Field({ description: 'the pack’s serial (AI 21)' }) serial!: string;
  @Field({ description: 'base64url Ed25519 signature (86 characters) over the JCS bytes of {exp, gtin, kid, lot, ser, t, v}' }) signature!: string;
}

@InputType('RegisterPackLabelsInput')
export class RegisterPackLabelsInput {
  @Field({ description: 'GTIN of the product (8, 12, 13 or 14 digits)' }) gtin!: string;
  @Field({ description: 'the batch’s lot (AI 10); every pack must be commissioned into it' }) lot!: string;
  @Field({ description: 'the signing key’s id, ed25519:<32 hex>: one of your active keys' }) kid!: string;
  @Field(() => [PackLabelSignatureInput], { description: '1–10,000 labels; all are stored or none' }) items!: PackLabelSignatureInput[];
}

@ObjectType('PackLabelRegistration', { description: 'What a registration did: new labels, identical re-registrations, labels replaced by a new signature.' })
export class PackLabelRegistrationModel {
  @Field({ description: 'GTIN-14' }) gtin!: string;
  @Field() lot!: string;
  @Field({ description: 'the batch’s expiry, YYYY-MM-DD (signed as YYMMDD)' }) expiresOn!: string;
  @Field() kid!: string;
  @Field(() => Int) registered!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) replaced!: number;
}

@ObjectType('BatchSerialsPage', { description: 'A page of the serials commissioned into one of your batches, in serial order, to sign their labels.' })
export class BatchSerialsPageModel {
  @Field({ description: 'GTIN-14' }) gtin!: string;
  @Field() lot!: string;
  @Field({ description: 'YYYY-MM-DD' }) expiresOn!: string;
  @Field(() => Int, { description: 'packs commissioned into the batch' }) commissioned!: number;
  @Field(() => Int, { description: 'packs of the batch with a registered label' }) labelled!: number;
  @Field(() => [String]) serials!: string[];
  @Field(() => String, { nullable: true, description: 'the last serial of the page: pass it as `after`' }) endCursor!: string | null;
  @Field() hasNextPage!: boolean;
}

@ObjectType('PackLabelKey', { description: 'A manufacturer key, for checking label signatures offline (docs/pack-labels.md).' })
export class PackLabelKeyModel {
  @Field({ description: 'ed25519:<32 hex>, the `kid` of a label link without its prefix' }) kid!: string;
  @Field({ description: 'base64url raw 32-byte Ed25519 public key' }) publicKey!: string;
  @Field({ description: 'active or revoked' }) status!: string;
  @Field({ description: 'false when the key was revoked as compromised: no label it signed is genuine' }) validForLabels!: boolean;
}

@ObjectType('PackLabelKeys', { description: 'The keys that may have signed a product’s labels: its manufacturer’s.' })
export class PackLabelKeysModel {
  @Field({ description: 'GTIN-14' }) gtin!: string;
  @Field() manufacturerId!: string;
  @Field() manufacturerName!: string;
  @Field(() => [PackLabelKeyModel]) keys!: PackLabelKeyModel[];
}
