import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PARTICIPANT_ROLES, ParticipantRole } from '@pharmatrace/ledger';
import { ParticipantEntity, ParticipantKeyEntity } from '@pharmatrace/participants';

export enum Role {
  supplier = 'supplier',
  manufacturer = 'manufacturer',
  wholesaler = 'wholesaler',
  pharmacy = 'pharmacy',
  prescriber = 'prescriber',
  regulator = 'regulator',
}
registerEnumType(Role, { name: 'Role' });
// The GraphQL enum mirrors the domain's role list exactly.
if (Object.values(Role).join() !== PARTICIPANT_ROLES.join()) throw new Error('Role enum out of step with PARTICIPANT_ROLES');

export enum ParticipantStatus {
  active = 'active',
  suspended = 'suspended',
}
registerEnumType(ParticipantStatus, { name: 'ParticipantStatus' });

@ObjectType('ParticipantKey')
export class ParticipantKeyModel {
  @Field(() => ID) kid!: string;
  @Field({ description: 'base64url raw Ed25519 public key' }) publicKey!: string;
  @Field() label!: string;
  @Field() kind!: string;
  @Field() status!: string;
  @Field(() => Int) addedSeq!: number;
  @Field(() => Int, { nullable: true }) revokedSeq!: number | null;
  @Field() addedAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType('Participant')
export class ParticipantModel {
  @Field(() => ID) id!: string;
  @Field() legalName!: string;
  @Field(() => Role) role!: ParticipantRole;
  @Field({ description: 'GS1 Global Location Number' }) gln!: string;
  @Field(() => String, { nullable: true, description: 'The town it operates in (shown on the patient page), when its registration named one.' }) town!: string | null;
  @Field() licenceNumber!: string;
  @Field({ description: 'YYYY-MM-DD' }) licenceExpiresOn!: string;
  @Field(() => ParticipantStatus) status!: 'active' | 'suspended';
  @Field(() => String, { nullable: true }) statusReason!: string | null;
  @Field({ description: 'The ledger asset id all of this participant’s events chain on.' }) assetId!: string;
  @Field() registeredAt!: Date;
}

@InputType()
export class ParticipantFilterInput {
  @Field(() => Role, { nullable: true }) role?: ParticipantRole;
  @Field(() => ParticipantStatus, { nullable: true }) status?: 'active' | 'suspended';
}

export function toParticipantModel(p: ParticipantEntity): ParticipantModel {
  return {
    id: p.id,
    legalName: p.legalName,
    role: p.role,
    gln: p.gln,
    town: p.town ?? null,
    licenceNumber: p.licenceNumber,
    licenceExpiresOn: p.licenceExpiresOn,
    status: p.status,
    statusReason: p.statusReason,
    assetId: `participant:${p.id}`,
    registeredAt: p.registeredAt,
  };
}

export function toKeyModel(k: ParticipantKeyEntity): ParticipantKeyModel {
  return {
    kid: k.kid,
    publicKey: k.publicKey,
    label: k.label,
    kind: k.kind,
    status: k.status,
    addedSeq: Number(k.addedSeq),
    revokedSeq: k.revokedSeq === null ? null : Number(k.revokedSeq),
    addedAt: k.addedAt,
    revokedAt: k.revokedAt,
  };
}
