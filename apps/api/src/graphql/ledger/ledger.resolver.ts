import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { EventPipeline, LedgerReader } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { CurrentCaller } from '../common/current-caller.decorator';
import { AssetHeadModel, EventReceiptModel, LedgerEventModel, SignedEventInput } from './ledger.types';

const HASH = /^[0-9a-f]{64}$/;

/** The signed-event path shared by every role; each event type's own rule checks the role. */
@Resolver()
export class LedgerResolver {
  constructor(
    private readonly pipeline: EventPipeline,
    private readonly reader: LedgerReader,
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

  @Query(() => LedgerEventModel, { nullable: true })
  ledgerEvent(@Args('hash') hash: string): Promise<LedgerEventModel | null> {
    if (!HASH.test(hash)) throw new DomainError('BAD_REQUEST', 'hash must be 64 lowercase hex characters.');
    return this.reader.byHash(hash);
  }

  @Query(() => [AssetHeadModel], { description: 'Current heads of up to 1,000 assets; an asset no event touched yet is left out.' })
  async assetHeads(@Args('assetIds', { type: () => [String] }) assetIds: string[]): Promise<AssetHeadModel[]> {
    if (assetIds.length > 1000) throw new DomainError('BAD_REQUEST', 'Ask for at most 1,000 assets at a time.');
    const heads = await this.reader.heads(assetIds);
    return [...heads].map(([assetId, head]) => ({ assetId, head }));
  }

  @Query(() => String, { nullable: true, description: 'The current head (hash of the last event) of an asset: the prev to cite next.' })
  assetHead(@Args('assetId') assetId: string): Promise<string | null> {
    return this.reader.head(assetId);
  }
}
