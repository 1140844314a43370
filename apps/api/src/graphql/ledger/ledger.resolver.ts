import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { EventPipeline, LedgerReader } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { AccessPolicy } from '@pharmatrace/access';
import { CurrentCaller } from '../common/current-caller.decorator';
import { AssetHeadModel, EventReceiptModel, LedgerEventModel, SignedEventInput } from './ledger.types';

const HASH = /^[0-9a-f]{64}$/;
export const MAX_HEADS_PER_QUERY = 1000;

/** The signed-event path shared by every role; each event type's own rule checks the role. */
@Resolver()
export class LedgerResolver {
  constructor(
    private readonly pipeline: EventPipeline,
    private readonly reader: LedgerReader,
    private readonly access: AccessPolicy,
  ) {}

  @Mutation(() => EventReceiptModel, { description: 'Submits one signed event. Resubmitting the identical event returns the original receipt.' })
  submitEvent(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return this.pipeline.submitOne({ event: input.event, sig: input.sig }, { callerId: caller.participantId });
  }

  @Mutation(() => [EventReceiptModel], { description: 'Submits many signed events atomically: all are stored, or none and BATCH_REJECTED lists each bad one by index.' })
  submitEvents(@Args('input', { type: () => [SignedEventInput] }) input: SignedEventInput[], @CurrentCaller() caller: Caller): Promise<EventReceiptModel[]> {
    return this.pipeline.submitMany(
      input.map((i) => ({ event: i.event, sig: i.sig })),
      { callerId: caller.participantId },
    );
  }

  @Query(() => LedgerEventModel, { nullable: true, description: 'An event you may see (docs/access-model.md); any other answers null, like an unknown hash.' })
  async ledgerEvent(@Args('hash') hash: string, @CurrentCaller() caller: Caller): Promise<LedgerEventModel | null> {
    if (!HASH.test(hash)) throw new DomainError('BAD_REQUEST', 'hash must be 64 lowercase hex characters.');
    const event = await this.reader.byHash(hash);
    return event && (await this.access.canSeeEvent(caller, event.seq)) ? event : null;
  }

  @Query(() => [AssetHeadModel], {
    description: `Current heads of up to ${MAX_HEADS_PER_QUERY} assets whose head event you may see; any other asset is left out, like one no event touched yet.`,
  })
  async assetHeads(@Args('assetIds', { type: () => [String] }) assetIds: string[], @CurrentCaller() caller: Caller): Promise<AssetHeadModel[]> {
    if (assetIds.length > MAX_HEADS_PER_QUERY) throw new DomainError('BAD_REQUEST', `Ask for at most ${MAX_HEADS_PER_QUERY} assets at a time; got ${assetIds.length}.`);
    return this.visibleHeads(caller, assetIds);
  }

  @Query(() => String, { nullable: true, description: 'The current head (hash of the last event) of an asset: the prev to cite next. Null when no event touched it or you may not see its head event.' })
  async assetHead(@Args('assetId') assetId: string, @CurrentCaller() caller: Caller): Promise<string | null> {
    return (await this.visibleHeads(caller, [assetId]))[0]?.head ?? null;
  }

  private async visibleHeads(caller: Caller, assetIds: string[]): Promise<AssetHeadModel[]> {
    const heads = await this.reader.headEntries(assetIds);
    const horizons = await this.access.horizons(caller, [...heads.keys()]);
    return [...heads].filter(([assetId, head]) => (horizons.get(assetId) ?? -1) >= head.seq).map(([assetId, head]) => ({ assetId, head: head.hash }));
  }
}
