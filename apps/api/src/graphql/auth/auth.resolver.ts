import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthService, Caller } from '@pharmatrace/auth';
import { ParticipantsService } from '@pharmatrace/participants';
import { DomainError } from '@pharmatrace/errors';
import { CurrentCaller, CurrentToken } from '../common/current-caller.decorator';
import { Public } from '../common/auth.guard';
import { ParticipantModel, toParticipantModel } from '../participants/participant.types';
import { SessionModel, SignInChallengeModel, SignInInput } from './auth.types';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly participants: ParticipantsService,
  ) {}

  @Public()
  @Mutation(() => SignInChallengeModel, { description: 'Step 1 of sign-in: a one-time nonce to sign with your key.' })
  requestSignInChallenge(@Args('participantId') participantId: string, @Args('kid') kid: string): Promise<SignInChallengeModel> {
    if (participantId.length > 64 || kid.length > 128) throw new DomainError('BAD_REQUEST', 'participantId or kid is too long.');
    return this.auth.challenge(participantId, kid);
  }

  @Public()
  @Mutation(() => SessionModel, { description: 'Step 2 of sign-in: the signed nonce in exchange for a short-lived token.' })
  async signIn(@Args('input') input: SignInInput): Promise<SessionModel> {
    const session = await this.auth.signIn(input.participantId, input.kid, input.nonce, input.signature);
    const participant = await this.participants.get(session.caller.participantId);
    if (!participant) throw new DomainError('UNKNOWN_PARTICIPANT');
    return { token: session.token, expiresAt: session.expiresAt, kid: session.caller.kid, participant: toParticipantModel(participant) };
  }

  @Mutation(() => Boolean, { description: 'Ends this session.' })
  async signOut(@CurrentToken() token: string): Promise<boolean> {
    await this.auth.signOut(token);
    return true;
  }

  @Query(() => ParticipantModel, { description: 'The signed-in participant.' })
  async me(@CurrentCaller() caller: Caller): Promise<ParticipantModel> {
    const participant = await this.participants.get(caller.participantId);
    if (!participant) throw new DomainError('UNKNOWN_PARTICIPANT');
    return toParticipantModel(participant);
  }
}
