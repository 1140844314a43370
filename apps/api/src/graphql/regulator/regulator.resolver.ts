import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { EventPipeline, LedgerReader } from '@pharmatrace/ledger';
import { ParticipantEventTypes } from '@pharmatrace/participants';
import { DomainError } from '@pharmatrace/errors';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { submitTyped } from '../common/typed-submission';
import { EventReceiptModel, LedgerEventModel, SignedEventInput } from '../ledger/ledger.types';

/** The regulator's views: the whole event log, in sequence order, for oversight and audit. */
@Resolver()
@Roles('regulator')
export class RegulatorResolver {
  constructor(
    private readonly reader: LedgerReader,
    private readonly pipeline: EventPipeline,
  ) {}

  @Query(() => [LedgerEventModel], { description: 'Regulators only: the event log after a sequence number, oldest first.' })
  eventLog(
    @Args('afterSeq', { type: () => Int, defaultValue: 0 }) afterSeq: number,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
    @Args('type', { type: () => String, nullable: true }) type?: string,
  ): Promise<LedgerEventModel[]> {
    if (first < 1 || first > 1000 || afterSeq < 0) throw new DomainError('BAD_REQUEST', 'first must be 1–1000 and afterSeq ≥ 0.');
    return this.reader.page(afterSeq, first, type ?? undefined);
  }

  @Mutation(() => EventReceiptModel, { description: 'A signed participant.licence_renewed event: a participant’s licence number and new expiry date (today or later).' })
  async renewLicence(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [ParticipantEventTypes.licenceRenewed], [input]))[0];
  }
}
