import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ParticipantsService } from '@pharmatrace/participants';
import { DomainError } from '@pharmatrace/errors';
import { ParticipantFilterInput, ParticipantKeyModel, ParticipantModel, toKeyModel, toParticipantModel } from './participant.types';

/** The participant directory: who is licensed, with which keys. Readable by every signed-in participant. */
@Resolver(() => ParticipantModel)
export class ParticipantsResolver {
  constructor(private readonly directory: ParticipantsService) {}

  @Query(() => ParticipantModel, { nullable: true })
  async participant(@Args('id') id: string): Promise<ParticipantModel | null> {
    const p = await this.directory.get(id);
    return p ? toParticipantModel(p) : null;
  }

  @Query(() => [ParticipantModel])
  async participants(
    @Args('filter', { nullable: true }) filter?: ParticipantFilterInput,
    @Args('first', { type: () => Int, defaultValue: 50 }) first = 50,
    @Args('offset', { type: () => Int, defaultValue: 0 }) offset = 0,
  ): Promise<ParticipantModel[]> {
    if (first < 1 || first > 500 || offset < 0) throw new DomainError('BAD_REQUEST', 'first must be 1–500 and offset ≥ 0.');
    const rows = await this.directory.list(filter ?? {}, first, offset);
    return rows.map(toParticipantModel);
  }

  @ResolveField(() => [ParticipantKeyModel])
  async keys(@Parent() p: ParticipantModel): Promise<ParticipantKeyModel[]> {
    return (await this.directory.keys(p.id)).map(toKeyModel);
  }
}
