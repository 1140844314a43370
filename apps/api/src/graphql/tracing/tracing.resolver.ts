import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { AccessPolicy, EVERYTHING } from '@pharmatrace/access';
import { DomainError } from '@pharmatrace/errors';
import {
  BackwardTraceService, DEFAULT_TRACE_PAGE, ForwardTracePage, ForwardTraceService, forwardTraceCsv, packIdOf, recallIdOf, RecallProgressService, traceSubjectOf,
} from '@pharmatrace/tracing';
import { CurrentCaller } from '../common/current-caller.decorator';
import { BackwardTraceModel, ForwardTracePageModel, RecallProgressModel, TraceCsvPageModel } from './tracing.types';

const N = { nullable: true } as const;

/**
 * Tracing (DESIGN.md "Recalls and tracing"; read rules in AccessPolicy, docs/access-model.md): forward traces
 * for regulators, backward traces within the caller's horizon, recall progress for regulators and, as
 * counts, for the recalling manufacturer.
 */
@Resolver()
export class TracingResolver {
  constructor(
    private readonly forward: ForwardTraceService,
    private readonly backward: BackwardTraceService,
    private readonly recalls: RecallProgressService,
    private readonly access: AccessPolicy,
  ) {}

  private forwardPage(caller: Caller, batch: string | null, ingredientLot: string | null, first: number, after: string | null): Promise<ForwardTracePage> {
    this.access.assertMayTraceForward(caller);
    return this.forward.page(traceSubjectOf(batch, ingredientLot), first, after);
  }

  @Query(() => ForwardTracePageModel, {
    description:
      'Regulators: every pack of a batch (batch:<GTIN-14>/<lot>) or of every batch that consumed an ingredient lot, with its custodian, containers, open shipment and supply to a patient (pseudonym only). Keyset pages of `first` (1–1000) packs by id; the summary on the first page. FORBIDDEN_ROLE for others; UNKNOWN_BATCH / UNKNOWN_ITEM; BAD_REQUEST.',
  })
  traceForward(
    @CurrentCaller() caller: Caller,
    @Args('batch', { type: () => String, ...N }) batch: string | null,
    @Args('ingredientLot', { type: () => String, ...N }) ingredientLot: string | null,
    @Args('first', { type: () => Int, defaultValue: DEFAULT_TRACE_PAGE }) first: number,
    @Args('after', { type: () => String, ...N }) after: string | null,
  ): Promise<ForwardTracePage> {
    return this.forwardPage(caller, batch ?? null, ingredientLot ?? null, first, after ?? null);
  }

  @Query(() => TraceCsvPageModel, { description: 'traceForward as CSV: one row per pack (columns as libs/tracing FORWARD_CSV_COLUMNS), the header on the first page only.' })
  async traceForwardCsv(
    @CurrentCaller() caller: Caller,
    @Args('batch', { type: () => String, ...N }) batch: string | null,
    @Args('ingredientLot', { type: () => String, ...N }) ingredientLot: string | null,
    @Args('first', { type: () => Int, defaultValue: DEFAULT_TRACE_PAGE }) first: number,
    @Args('after', { type: () => String, ...N }) after: string | null,
  ): Promise<TraceCsvPageModel> {
    const page = await this.forwardPage(caller, batch ?? null, ingredientLot ?? null, first, after ?? null);
    return { csv: forwardTraceCsv(page, !after), totalPacks: page.summary?.totalPacks ?? null, endCursor: page.endCursor, hasNextPage: page.hasNextPage };
  }

  @Query(() => BackwardTraceModel, {
    description:
      'Where a pack (sgtin:… or a GS1 scan) came from: regulators, and participants up to the last event they took part in (current state and temperature verdicts while they hold it). UNKNOWN_ITEM for a pack you may not see, as for a missing one.',
  })
  async traceBackward(@Args('pack') pack: string, @CurrentCaller() caller: Caller): Promise<BackwardTraceModel> {
    const id = packIdOf(pack);
    const horizon = await this.access.horizon(caller, id);
    return this.backward.trace(id, { throughSeq: horizon, currentState: horizon === EVERYTHING });
  }

  @Query(() => RecallProgressModel, {
    description:
      'Where the packs of a recall stand, by custodian, and each holder’s notification and acknowledgement. Regulators: all; the recalling manufacturer: counts of its batches, custodians named only among its direct customers. UNKNOWN_RECALL otherwise.',
  })
  async recallProgress(@Args('recall') recall: string, @CurrentCaller() caller: Caller): Promise<RecallProgressModel> {
    const id = recallIdOf(recall);
    const scope = await this.access.recallProgressScope(caller, id);
    if (!scope) throw new DomainError('UNKNOWN_RECALL', `No recall ${id} exists.`, { recall: id });
    return this.recalls.progress(id, scope);
  }
}
