import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { AlertService } from '@pharmatrace/scan-alerts';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { toAlertModel, VerificationAlertModel } from './alerts.types';

/**
 * Verification alerts (libs/scan-alerts): regulators see all of them, a manufacturer those on its products (without
 * the pharmacies' identity), anyone else none (AccessPolicy.alertScope). Regulators and the product's manufacturer
 * move them along new → under_investigation → closed.
 */
@Resolver()
export class AlertsResolver {
  constructor(private readonly alerts: AlertService) {}

  @Query(() => [VerificationAlertModel], {
    description:
      'Verification alerts you may see, newest first (regulators: all; a manufacturer: those on its products; others: none). `first` 1–100, `after` an alert id from the previous page; filter by status (new, under_investigation, closed), kind or GTIN (INVALID_ALERT_FILTER otherwise).',
  })
  async verificationAlerts(
    @CurrentCaller() caller: Caller,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
    @Args('status', { type: () => String, nullable: true }) status?: string | null,
    @Args('kind', { type: () => String, nullable: true }) kind?: string | null,
    @Args('gtin', { type: () => String, nullable: true }) gtin?: string | null,
  ): Promise<VerificationAlertModel[]> {
    return (await this.alerts.list(caller, { first, after, status, kind, gtin })).map(toAlertModel);
  }

  @Query(() => VerificationAlertModel, { description: 'One verification alert; UNKNOWN_ALERT when it does not exist or is not one you may see.' })
  async verificationAlert(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller): Promise<VerificationAlertModel> {
    return toAlertModel(await this.alerts.get(caller, id));
  }

  @Roles('regulator', 'manufacturer')
  @Mutation(() => VerificationAlertModel, {
    description:
      'Moves an alert along its life cycle: new → under_investigation → closed, or new → closed; closing needs a note (1–2000 characters, no control characters). Regulators, and the product’s manufacturer for its own alerts. Refusals store nothing: FORBIDDEN_ROLE, UNKNOWN_ALERT, ALERT_TRANSITION_INVALID, ALERT_NOTE_REQUIRED, INVALID_ALERT_NOTE.',
  })
  async updateVerificationAlert(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID }) id: string,
    @Args('status') status: string,
    @Args('note', { type: () => String, nullable: true }) note?: string | null,
  ): Promise<VerificationAlertModel> {
    return toAlertModel(await this.alerts.update(caller, id, status, note ?? null));
  }
}
