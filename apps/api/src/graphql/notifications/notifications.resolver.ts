import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { AccessPolicy } from '@pharmatrace/access';
import { DomainError } from '@pharmatrace/errors';
import { MAX_NOTIFICATIONS_PAGE, RecallNotificationQueries, WebhookEndpoints } from '@pharmatrace/notifications';
import { unknownRecall } from '@pharmatrace/recalls/recall-errors';
import { CurrentCaller } from '../common/current-caller.decorator';
import { ElsewhereDeliveriesModel, RecallDeliveryModel, RecallNotificationModel, WebhookModel } from './notifications.types';

/** Page arguments: `first` 1–100, `after` a notification id from the previous page. */
function page(first: number, after: string | null | undefined): { first: number; after: string | null } {
  if (!Number.isInteger(first) || first < 1 || first > MAX_NOTIFICATIONS_PAGE) throw new DomainError('BAD_REQUEST', `first must be 1 to ${MAX_NOTIFICATIONS_PAGE}; page on with after.`);
  if (after !== null && after !== undefined && !/^\d{1,18}$/.test(after)) throw new DomainError('BAD_REQUEST', `after must be the id of the last entry of the previous page (digits), got "${after.slice(0, 40)}".`);
  return { first, after: after ?? null };
}

/** Recall notifications: a participant's webhook and its own notifications; per recall, who was told (docs/webhooks.md). */
@Resolver()
export class NotificationsResolver {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly notifications: RecallNotificationQueries,
    private readonly access: AccessPolicy,
  ) {}

  @Mutation(() => WebhookModel, {
    description:
      'Registers (or replaces) where your recall notifications are POSTed, signed by the ledger key (Standard Webhooks v1a). WEBHOOK_URL_INVALID, storing nothing, unless it is an absolute http(s) URL of at most 2,048 characters, without user name or password, on a public host.',
  })
  registerWebhook(@Args('url') url: string, @CurrentCaller() caller: Caller): Promise<WebhookModel> {
    return this.endpoints.register(caller.participantId, url);
  }

  @Mutation(() => Boolean, { description: 'Removes your webhook (true when you had one); deliveries still pending are given up. Notifications stay listed.' })
  removeWebhook(@CurrentCaller() caller: Caller): Promise<boolean> {
    return this.endpoints.remove(caller.participantId);
  }

  @Query(() => WebhookModel, { nullable: true, description: 'Your webhook, or null.' })
  myWebhook(@CurrentCaller() caller: Caller): Promise<WebhookModel | null> {
    return this.endpoints.get(caller.participantId);
  }

  @Query(() => [RecallNotificationModel], { description: 'Recall revisions you were told of, newest first.' })
  myRecallNotifications(
    @CurrentCaller() caller: Caller,
    @Args('first', { type: () => Int, defaultValue: 50, description: `At most ${MAX_NOTIFICATIONS_PAGE}.` }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'The id of the last notification of the previous page.' }) after: string | null,
  ): Promise<RecallNotificationModel[]> {
    const p = page(first, after);
    return this.notifications.forParticipant(caller.participantId, p.first, p.after);
  }

  @Query(() => [RecallDeliveryModel], {
    description:
      'Everyone told of a recall, per revision (oldest first): reasons, acknowledgement, and webhook delivery with its attempts and last error. Regulators: everyone; the recall’s initiator: itself and its direct customers (those it shipped affected goods to), the rest only as recallDeliveriesElsewhere; anyone else gets UNKNOWN_RECALL, as for a recall that does not exist.',
  })
  async recallDeliveries(
    @CurrentCaller() caller: Caller,
    @Args('recall', { description: 'recall:<id>' }) recall: string,
    @Args('first', { type: () => Int, defaultValue: 100, description: `At most ${MAX_NOTIFICATIONS_PAGE}.` }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'The id of the last entry of the previous page.' }) after: string | null,
    @Args('revision', { type: () => Int, nullable: true, description: 'Only this revision.' }) revision: number | null,
  ): Promise<RecallDeliveryModel[]> {
    const p = page(first, after);
    const scope = await this.scopeOf(caller, recall);
    return this.notifications.deliveries(recall, p.first, p.after, revision ?? null, scope.kind === 'all' ? null : scope.named, caller.participantId);
  }

  @Query(() => ElsewhereDeliveriesModel, {
    nullable: true,
    description:
      'For the recall’s initiator: everyone told of it but itself (direct customers included), as one aggregated line (EU FMD art. 38: not who holds its packs further down). Null for regulators, who see every row in recallDeliveries. Anyone else gets UNKNOWN_RECALL, as for a recall that does not exist.',
  })
  async recallDeliveriesElsewhere(
    @CurrentCaller() caller: Caller,
    @Args('recall', { description: 'recall:<id>' }) recall: string,
    @Args('revision', { type: () => Int, nullable: true, description: 'Only this revision.' }) revision: number | null,
  ): Promise<ElsewhereDeliveriesModel | null> {
    const scope = await this.scopeOf(caller, recall);
    // Everyone but the initiator: counting only those beyond its customers would tell where its packs are.
    return scope.kind === 'all' ? null : this.notifications.deliveriesElsewhere(recall, revision ?? null, [caller.participantId]);
  }

  private async scopeOf(caller: Caller, recall: string) {
    const parties = await this.notifications.partiesOf(recall);
    const scope = parties ? await this.access.recallDeliveriesScope(caller, parties) : null;
    if (!scope) throw unknownRecall(recall);
    return scope;
  }
}
