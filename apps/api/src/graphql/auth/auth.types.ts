import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ParticipantModel } from '../participants/participant.types';

@ObjectType('SignInChallenge')
export class SignInChallengeModel {
  @Field({ description: 'Sign this nonce (see signInMessage in the ledger core) with the key.' }) nonce!: string;
  @Field() expiresAt!: Date;
}

@InputType()
export class SignInInput {
  @Field() participantId!: string;
  @Field() kid!: string;
  @Field() nonce!: string;
  @Field({ description: 'base64url Ed25519 signature of the sign-in message' }) signature!: string;
}

@ObjectType('Session')
export class SessionModel {
  @Field({ description: 'Send as "Authorization: Bearer <token>".' }) token!: string;
  @Field() expiresAt!: Date;
  @Field(() => ParticipantModel) participant!: ParticipantModel;
  @Field() kid!: string;
}
