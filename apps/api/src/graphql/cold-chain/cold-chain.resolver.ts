import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { EventPipeline } from '@pharmatrace/ledger';
import { DomainError, isDomainError } from '@pharmatrace/errors';
import {
  BatchProblemLike,
  ColdChainEventTypes,
  ColdChainHistory,
  locateReadingProblems,
} from '@pharmatrace/cold-chain';
import { AccessPolicy } from '@pharmatrace/access';
import { isUtcTimestamp } from '@pharmatrace/ledger-core';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { submitTyped } from '../common/typed-submission';
import { EventReceiptModel, SignedEventInput } from '../ledger/ledger.types';
import { TemperatureHistoryModel } from './cold-chain.types';

const VERDICT_ORDER = ['broken', 'within_policy', 'no_readings'];
/** Readings per page (the cost budget counts a page at this size). */
export const MAX_READINGS_PAGE = 1000;

/** How many readings a signed event carries, for locating a bad one in the whole upload. */
function readingsIn(input: SignedEventInput): number {
  const data = typeof input.event === 'object' && input.event !== null ? (input.event as { data?: { readings?: unknown } }).data : undefined;
  return Array.isArray(data?.readings) ? data.readings.length : 0;
}

/** Temperature uploads by custodians' loggers, the temperature history, and release from quarantine. */
@Resolver()
export class ColdChainResolver {
  constructor(
    private readonly pipeline: EventPipeline,
    private readonly history: ColdChainHistory,
    private readonly access: AccessPolicy,
  ) {}

  @Roles('supplier', 'manufacturer', 'wholesaler', 'pharmacy')
  @Mutation(() => [EventReceiptModel], {
    description:
      'Uploads signed coldchain.readings_recorded events (up to 1,000 readings each; 10,000 readings are ten events) atomically: all are stored, or none and BATCH_REJECTED lists each bad event, with details.readings giving the position of each bad reading in the whole upload.',
  })
  async recordReadings(@Args('input', { type: () => [SignedEventInput] }) input: SignedEventInput[], @CurrentCaller() caller: Caller): Promise<EventReceiptModel[]> {
    try {
      // Always a batch, even of one event, so that a bad reading is reported the same way whatever the upload's size.
      if (input.length === 0) throw new DomainError('BAD_REQUEST', 'An upload needs at least one event.');
      // The per-call cap (10 events of 1,000 readings) is the readings rule's maxPerCall, applied by the pipeline.
      input.forEach((i, index) => {
        const type = typeof i.event === 'object' && i.event !== null ? (i.event as { type?: unknown }).type : undefined;
        if (type !== ColdChainEventTypes.readingsRecorded) {
          throw new DomainError('BAD_REQUEST', `Event ${index} is ${String(type)}; recordReadings takes ${ColdChainEventTypes.readingsRecorded} events.`);
        }
      });
      return await this.pipeline.submitMany(
        input.map((i) => ({ event: i.event, sig: i.sig })),
        { callerId: caller.participantId },
      );
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'BATCH_REJECTED') throw e;
      const readings = locateReadingProblems((e.details?.errors ?? []) as BatchProblemLike[], input.map(readingsIn));
      throw new DomainError('BATCH_REJECTED', e.message, { ...e.details, readings });
    }
  }

  @Roles('manufacturer', 'regulator')
  @Mutation(() => EventReceiptModel, { description: 'Releases quarantined items (a signed coldchain.released): the manufacturer of their products, or a regulator.' })
  async releaseQuarantine(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    const [receipt] = await submitTyped(this.pipeline, caller, [ColdChainEventTypes.released], [input]);
    return receipt;
  }

  @Query(() => TemperatureHistoryModel, {
    description:
      'Readings of an item or shipment you may see (docs/access-model.md: all of them while you hold it or are a party to the shipment; otherwise those within your custody window), and, for its holder, the latest verdicts on the item(s) it concerns.',
  })
  async temperatureHistory(
    @Args('subject') subject: string,
    @CurrentCaller() caller: Caller,
    @Args('after', { type: () => String, nullable: true, description: 'Only readings taken after this UTC time (YYYY-MM-DDTHH:MM:SS.sssZ), to page on.' }) after: string | null,
    @Args('first', { type: () => Int, defaultValue: 1000, description: `Readings per page, at most ${MAX_READINGS_PAGE}.` }) first: number,
  ): Promise<TemperatureHistoryModel> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_READINGS_PAGE) throw new DomainError('BAD_REQUEST', `first must be 0 to ${MAX_READINGS_PAGE} readings; page on with after.`);
    if (after !== null && after !== undefined && !isUtcTimestamp(after)) {
      throw new DomainError('INVALID_TIMESTAMP', `after must be a real UTC time written as YYYY-MM-DDTHH:MM:SS(.sss)Z with a year 0001–9999, e.g. 2026-11-29T16:00:00Z; got "${after}".`);
    }
    const scope = await this.access.readingScope(caller, subject);
    if (scope.kind === 'none') throw missingSubject(subject);
    const h = await this.history.history(subject, after ?? null, first);
    if (scope.kind === 'all') {
      const verdict = VERDICT_ORDER.find((v) => h.evaluations.some((e) => e.verdict === v)) ?? 'not_evaluated';
      return { ...h, verdict };
    }
    // A former holder: its window's readings, none of today's state.
    const own = await this.access.ownKeys(caller.participantId);
    const readings = h.readings.filter((r) => r.uploadSeq <= scope.throughSeq || own.has(r.loggerKid));
    const readingCount = await this.access.countReadingsWithin(subject, scope);
    return { ...h, readings, readingCount, excludedReadingCount: 0, evaluationPending: false, items: [], evaluations: [], verdict: 'not_evaluated' };
  }
}

/** Exactly what ColdChainHistory answers for a subject that does not exist. */
function missingSubject(subject: string): DomainError {
  return subject.startsWith('shipment:')
    ? new DomainError('UNKNOWN_SHIPMENT', `No shipment ${subject} exists.`)
    : new DomainError('UNKNOWN_ITEM', `No item ${subject} is registered.`, { item: subject });
}
