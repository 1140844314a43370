import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { EventPipeline } from '@pharmatrace/ledger';
import { RecallEventTypes, RecallQueries } from '@pharmatrace/recalls';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { submitTyped } from '../common/typed-submission';
import { EventReceiptModel, SignedEventInput } from '../ledger/ledger.types';
import { RecallModel, toRecallModel } from './recalls.types';

/**
 * Recalls: regulators and manufacturers (voluntary recalls of their own batches) initiate, amend and close
 * them; holders acknowledge what they were notified of. Who may sign what is each event's rule
 * (libs/recalls/src/rules); who may read which recall is AccessPolicy.canSeeRecall.
 */
@Resolver()
export class RecallsResolver {
  constructor(
    private readonly pipeline: EventPipeline,
    private readonly queries: RecallQueries,
  ) {}

  private async one(caller: Caller, type: string, input: SignedEventInput): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [type], [input]))[0];
  }

  @Roles('regulator', 'manufacturer')
  @Mutation(() => EventReceiptModel, {
    description:
      'A signed recall.initiated event: batches and/or ingredient lots (regulators only) recalled with a class, reason and instructions. Every pack of them still in the chain becomes recalled; the receipt counts batches and packs.',
  })
  initiateRecall(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return this.one(caller, RecallEventTypes.initiated, input);
  }

  @Roles('regulator', 'manufacturer')
  @Mutation(() => EventReceiptModel, { description: 'A signed recall.amended event: more batches or ingredient lots, new instructions or a new class; a new revision.' })
  amendRecall(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return this.one(caller, RecallEventTypes.amended, input);
  }

  @Roles('regulator', 'manufacturer')
  @Mutation(() => EventReceiptModel, { description: 'A signed recall.closed event with a summary; recalled goods stay recalled.' })
  closeRecall(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return this.one(caller, RecallEventTypes.closed, input);
  }

  @Roles('supplier', 'manufacturer', 'wholesaler', 'pharmacy')
  @Mutation(() => EventReceiptModel, { description: 'A signed recall.acknowledged event (no assets) for a recall revision you were notified of.' })
  acknowledgeRecall(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return this.one(caller, RecallEventTypes.acknowledged, input);
  }

  @Query(() => RecallModel, {
    nullable: true,
    description: 'A recall with its batches, ingredient lots and revisions: for regulators, its initiator, the manufacturers of its batches and participants notified of it; null for anyone else, as for an unknown id.',
  })
  async recall(@Args('id') id: string, @CurrentCaller() caller: Caller): Promise<RecallModel | null> {
    const r = await this.queries.recall(caller, id);
    return r ? toRecallModel(r) : null;
  }

  @Query(() => [RecallModel], {
    description:
      'Recalls you may see, oldest first (regulators: all; a manufacturer: those it initiated or that cover its batches; others: those it was notified of). `first` 1–100, `after` a recall id from the previous page, `state` open or closed. batches, ingredientLots and revisions are null here: ask recall(id).',
  })
  async recalls(
    @CurrentCaller() caller: Caller,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
    @Args('state', { type: () => String, nullable: true }) state?: string | null,
  ): Promise<RecallModel[]> {
    return (await this.queries.list(caller, { first, after, state })).map(toRecallModel);
  }
}
