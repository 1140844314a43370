import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { AlertView } from '@pharmatrace/scan-alerts';
import { JsonScalar } from '../common/json.scalar';

@ObjectType('VerificationAlertUpdate', { description: 'One step of an alert’s life cycle: revision 1 is the raise, then one per update.' })
export class VerificationAlertUpdateModel {
  @Field(() => Int) revision!: number;
  @Field({ description: 'new, under_investigation or closed' }) status!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { nullable: true, description: 'who updated it (a regulator or the product’s manufacturer); null for the raise' }) byParticipantId!: string | null;
  @Field({ description: 'ISO 8601 UTC' }) at!: string;
}

@ObjectType('VerificationAlert', {
  description:
    'An EMVS-style verification alert on a serial: REGIONS_WITHIN_WINDOW, TOO_MANY_DEVICES (clones of a supplied pack), UNKNOWN_SERIAL (a falsified code), INACTIVE_PACK_DECOMMISSIONED (EMVS A24 at the counter). While a clone-suspected alert is under investigation (taken up by the manufacturer or a regulator), every verdict on the serial says SUSPECTED_CLONE; a new alert is evidence for investigators and changes no verdict.',
})
export class VerificationAlertModel {
  @Field(() => ID, { description: 'alert:<UUID>; page on with after' }) id!: string;
  @Field() kind!: string;
  @Field() cloneSuspected!: boolean;
  @Field() gtin!: string;
  @Field() serial!: string;
  @Field(() => String, { nullable: true }) lot!: string | null;
  @Field(() => String, { nullable: true, description: 'the product’s manufacturer' }) manufacturerId!: string | null;
  @Field({ description: 'new, under_investigation or closed' }) status!: string;
  @Field(() => Int, { description: 'bumped by every life-cycle update' }) revision!: number;
  @Field(() => JsonScalar, {
    description:
      'counts, regions, time span (ISO 8601), devices counted (never device ids), newest scan ids; for INACTIVE_PACK_DECOMMISSIONED the refusals and attempts, naming the pharmacies for regulators only',
  })
  evidence!: Record<string, unknown>;
  @Field({ description: 'ISO 8601 UTC' }) raisedAt!: string;
  @Field({ description: 'ISO 8601 UTC' }) updatedAt!: string;
  @Field(() => [VerificationAlertUpdateModel]) updates!: VerificationAlertUpdateModel[];
}

export const toAlertModel = (v: AlertView): VerificationAlertModel => ({ ...v, updates: v.updates.map((u) => ({ ...u })) });
