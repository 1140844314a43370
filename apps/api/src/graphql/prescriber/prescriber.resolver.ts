import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { EventPipeline } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { AccessPolicy } from '@pharmatrace/access';
import { MAX_PRESCRIPTIONS_PAGE, PATIENT_PSEUDONYM_PATTERN, PrescriptionEventTypes, PrescriptionQueries } from '@pharmatrace/prescriptions';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { submitTyped } from '../common/typed-submission';
import { EventReceiptModel, SignedEventInput } from '../ledger/ledger.types';
import { PrescriptionModel, toPrescriptionModel } from './prescription.types';

/** The prescriber signs and cancels prescriptions; a prescription is read as docs/access-model.md says. */
@Resolver()
export class PrescriberResolver {
  constructor(
    private readonly pipeline: EventPipeline,
    private readonly queries: PrescriptionQueries,
    private readonly access: AccessPolicy,
  ) {}

  @Roles('prescriber')
  @Mutation(() => EventReceiptModel, { description: 'A signed prescription.issued event: a new prescription:<id> for a patient pseudonym.' })
  async issuePrescription(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [PrescriptionEventTypes.issued], [input]))[0];
  }

  @Roles('prescriber')
  @Mutation(() => EventReceiptModel, { description: 'A signed prescription.cancelled event by the prescription’s prescriber, while it is active.' })
  async cancelPrescription(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [PrescriptionEventTypes.cancelled], [input]))[0];
  }

  @Query(() => PrescriptionModel, {
    nullable: true,
    description:
      'A prescription, for its prescriber and regulators (`patient` optional) and for a pharmacy that passes the patient pseudonym as `patient`; a pseudonym given must match. Null for anyone else, exactly as for an unknown id.',
  })
  async prescription(
    @Args('id') id: string,
    @Args('patient', { type: () => String, nullable: true }) patient: string | null | undefined,
    @CurrentCaller() caller: Caller,
  ): Promise<PrescriptionModel | null> {
    const presented = patient ?? null;
    if (presented !== null && !PATIENT_PSEUDONYM_PATTERN.test(presented)) {
      throw new DomainError('BAD_REQUEST', 'patient must be the patient pseudonym: 64 lowercase hex characters (never a name or a national id).');
    }
    const p = await this.queries.byId(id);
    return p && this.access.canSeePrescription(caller, p, presented) ? toPrescriptionModel(p) : null;
  }

  @Roles('prescriber')
  @Query(() => [PrescriptionModel], {
    description: `Your prescriptions in the order you issued them, \`first\` (1–${MAX_PRESCRIPTIONS_PAGE}) at a time, after the one whose id is \`after\`.`,
  })
  async myPrescriptions(
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null | undefined,
    @CurrentCaller() caller: Caller,
  ): Promise<PrescriptionModel[]> {
    if (first < 1 || first > MAX_PRESCRIPTIONS_PAGE) throw new DomainError('BAD_REQUEST', `first must be 1–${MAX_PRESCRIPTIONS_PAGE}.`);
    return (await this.queries.byPrescriber(caller.participantId, first, after ?? null)).map(toPrescriptionModel);
  }
}
