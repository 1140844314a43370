import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { StoredBlock } from '@pharmatrace/ledger';
import { JsonScalar } from '../common/json.scalar';

@ObjectType('BlockHeader', { description: 'Exactly the object the ledger key signs (RFC 8785 canonical JSON, SHA-256).' })
export class BlockHeaderModel {
  @Field(() => Int) height!: number;
  @Field(() => String, { nullable: true }) prevHeaderHash!: string | null;
  @Field(() => Int) treeSize!: number;
  @Field() rootHash!: string;
  @Field(() => Int) firstSeq!: number;
  @Field(() => Int) lastSeq!: number;
  @Field({ description: 'RFC 3339 UTC, as signed' }) sealedAt!: string;
}

@ObjectType('Block')
export class BlockModel {
  @Field(() => BlockHeaderModel) header!: BlockHeaderModel;
  @Field({ description: 'hex SHA-256 of the canonical header' }) headerHash!: string;
  @Field({ description: 'the ledger key that signed it' }) kid!: string;
  @Field({ description: 'base64url Ed25519 signature' }) sig!: string;
}

@ObjectType('InclusionProof')
export class InclusionProofModel {
  @Field(() => Int) leafIndex!: number;
  @Field(() => Int) treeSize!: number;
  @Field(() => [String], { description: 'hex, bottom up (RFC 6962 audit path)' }) hashes!: string[];
}

@ObjectType('ProvenEvent')
export class ProvenEventModel {
  @Field(() => Int) seq!: number;
  @Field() hash!: string;
  @Field() type!: string;
  @Field(() => JsonScalar) event!: unknown;
  @Field() sig!: string;
  @Field(() => BlockModel, { nullable: true, description: 'null until the event is sealed' }) block!: BlockModel | null;
  @Field(() => InclusionProofModel, { nullable: true }) inclusion!: InclusionProofModel | null;
}

@ObjectType('ConsistencyProof')
export class ConsistencyProofModel {
  @Field(() => Int) fromHeight!: number;
  @Field(() => Int) toHeight!: number;
  @Field(() => Int) fromSize!: number;
  @Field(() => Int) toSize!: number;
  @Field(() => [String]) hashes!: string[];
}

@ObjectType('LedgerSigningKey')
export class LedgerSigningKeyModel {
  @Field() kid!: string;
  @Field({ description: 'base64url raw Ed25519 public key' }) publicKey!: string;
  @Field() createdAt!: Date;
}

export const toBlockModel = (b: StoredBlock): BlockModel => ({ header: { ...b.header }, headerHash: b.headerHash, kid: b.kid, sig: b.sig });
