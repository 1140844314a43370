import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('VrsToken', { description: 'A bearer token for the DSCSA verification responder (docs/dscsa-vrs.md); the token itself is shown only when issued.' })
export class VrsTokenModel {
  @Field({ description: 'vrs-token:<uuid>' }) id!: string;
  @Field() label!: string;
  @Field({ description: 'ISO 8601 UTC' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'ISO 8601 UTC; null when never used' }) lastUsedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 8601 UTC; null while active' }) revokedAt!: string | null;
}

@ObjectType('IssuedVrsToken', { description: 'A new VRS token: `token` is shown this once and stored only as its SHA-256.' })
export class IssuedVrsTokenModel extends VrsTokenModel {
  @Field({ description: '32 random bytes, base64url: send as "Authorization: Bearer <token>" to GET /verify/…' }) token!: string;
}

@ObjectType('VrsRequest', { description: 'One DSCSA verification request answered on a manufacturer’s behalf (GS1 US Lightweight Messaging).' })
export class VrsRequestModel {
  @Field({ description: 'the cursor: pass the last one as `after` for the next page' }) id!: string;
  @Field({ description: 'ISO 8601 UTC' }) requestedAt!: string;
  @Field({ description: 'the trading partner that asked' }) requesterId!: string;
  @Field() requesterName!: string;
  @Field() requesterGln!: string;
  @Field(() => String, { nullable: true, description: 'the product’s manufacturer; null when the GTIN is not registered' }) manufacturerId!: string | null;
  @Field({ description: 'GTIN-14' }) gtin!: string;
  @Field(() => String, { nullable: true }) lot!: string | null;
  @Field(() => String, { nullable: true }) serial!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, as sent' }) expiry!: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. dscsaSaleableReturn' }) context!: string | null;
  @Field(() => String, { nullable: true }) reqGln!: string | null;
  @Field(() => String, { nullable: true }) corrUuid!: string | null;
  @Field() checkConnectivity!: boolean;
  @Field(() => Boolean, { nullable: true }) verified!: boolean | null;
  @Field(() => String, { nullable: true, description: 'LMS verificationFailureReason' }) verificationFailureReason!: string | null;
  @Field(() => String, { nullable: true, description: 'LMS additionalInfo: Illegitimate, Suspect, Recalled or Expired' }) additionalInfo!: string | null;
}
