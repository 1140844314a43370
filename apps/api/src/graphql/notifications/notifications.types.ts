import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum WebhookDeliveryStateEnum {
  none = 'none',
  pending = 'pending',
  delivered = 'delivered',
  failed = 'failed',
}
registerEnumType(WebhookDeliveryStateEnum, {
  name: 'WebhookDeliveryState',
  description:
    'none: the participant had no webhook when it was notified; pending: being delivered (retried with exponential backoff); delivered: a 2xx answer; failed: given up after the last attempt (see the last error).',
});

@ObjectType('Webhook', { description: 'Where recall notifications are POSTed (Standard Webhooks, signed by the ledger key: docs/webhooks.md).' })
export class WebhookModel {
  @Field() url!: string;
  @Field({ description: 'ISO 8601 UTC' }) registeredAt!: string;
}

@ObjectType('RecallNotification', { description: 'A recall revision you were told of, once per revision however many packs you hold.' })
export class RecallNotificationModel {
  @Field(() => ID, { description: 'page on with after' }) id!: string;
  @Field({ description: 'recall:<id>' }) recall!: string;
  @Field(() => Int, { description: 'acknowledge this revision with a signed recall.acknowledged' }) revision!: number;
  @Field({ description: 'initiated, amended or closed' }) kind!: string;
  @Field({ description: 'the recall’s class now (I, II or III)' }) class!: string;
  @Field() reason!: string;
  @Field({ description: 'what to do, as of this revision' }) instructions!: string;
  @Field() notifyPatients!: boolean;
  @Field(() => [String], { description: 'custodian, in_transit_recipient, supplier, manufacturer, previously_notified' }) reasons!: string[];
  @Field(() => Int, { description: 'affected packs (and ingredient lots) you held, were about to receive, or supplied' }) affectedPacks!: number;
  @Field({ description: 'ISO 8601 UTC' }) notifiedAt!: string;
  @Field(() => String, { nullable: true, description: 'ISO 8601 UTC' }) acknowledgedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'the recall.acknowledged event’s hash' }) acknowledgedHash!: string | null;
  @Field(() => WebhookDeliveryStateEnum) webhookState!: string;
  @Field(() => Int) webhookAttempts!: number;
}

@ObjectType('RecallDelivery', { description: 'One participant told of one revision of a recall: its acknowledgement and its webhook delivery.' })
export class RecallDeliveryModel {
  @Field(() => ID, { description: 'the notification’s id; page on with after' }) id!: string;
  @Field() participantId!: string;
  @Field() participantName!: string;
  @Field(() => Int) revision!: number;
  @Field({ description: 'initiated, amended or closed' }) kind!: string;
  @Field(() => [String], { description: 'custodian, in_transit_recipient, supplier, manufacturer, previously_notified' }) reasons!: string[];
  @Field(() => Int, { nullable: true, description: 'affected packs it held, was about to receive, or supplied; null in a manufacturer’s view of a direct customer (recallProgress counts what it shipped them)' })
  affectedPacks!: number | null;
  @Field({ description: 'ISO 8601 UTC' }) notifiedAt!: string;
  @Field(() => String, { nullable: true, description: 'ISO 8601 UTC' }) acknowledgedAt!: string | null;
  @Field(() => String, { nullable: true }) acknowledgedHash!: string | null;
  @Field(() => WebhookDeliveryStateEnum) webhookState!: string;
  @Field(() => Int) webhookAttempts!: number;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt; null when there was no answer' }) webhookLastStatus!: number | null;
  @Field(() => String, { nullable: true, description: 'why the last attempt failed (HTTP status, timeout, connection error)' }) webhookLastError!: string | null;
  @Field(() => String, { nullable: true }) webhookLastAttemptAt!: string | null;
  @Field(() => String, { nullable: true }) webhookDeliveredAt!: string | null;
  @Field(() => String, { nullable: true }) webhookFailedAt!: string | null;
}

@ObjectType('ElsewhereDeliveries', {
  description: 'Everyone told of a recall but its initiator (its direct customers included, though listed too), each counted once by its latest notification: the initiator sees no one beyond its direct customers by name.',
})
export class ElsewhereDeliveriesModel {
  @Field(() => Int, { description: 'participants told' }) holders!: number;
  @Field(() => Int, { description: 'of them, those that acknowledged' }) acknowledged!: number;
  @Field(() => Int, { description: 'webhooks delivered' }) delivered!: number;
  @Field(() => Int, { description: 'webhooks given up after the last attempt' }) failed!: number;
  @Field(() => Int, { description: 'webhooks still being delivered' }) pending!: number;
}
