import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { CUSTODIAN_ROLES, CustodyEventTypes } from '@pharmatrace/custody';
import { DECOMMISSIONING_ROLES, DISPENSING_ROLES, DispensingEventTypes } from '@pharmatrace/dispensing';
import { DomainError } from '@pharmatrace/errors';
import { EventPipeline } from '@pharmatrace/ledger';
import { PackVerifier, packIdentifiersOf } from '@pharmatrace/verification';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { submitTyped } from '../common/typed-submission';
import { EventReceiptModel, SignedEventInput } from '../ledger/ledger.types';
import { PackFieldsInput, PackVerdictModel, toPackVerdictModel } from './pack-verdict.types';

/**
 * The pharmacy counter: what it asks before it hands a pack on (any custodian may ask it, and regulators),
 * the dispense against a prescription, the other EU FMD decommissions and their undo.
 */
@Resolver()
export class PharmacyResolver {
  constructor(
    private readonly verifier: PackVerifier,
    private readonly pipeline: EventPipeline,
  ) {}

  @Roles(...DISPENSING_ROLES)
  @Mutation(() => EventReceiptModel, {
    description:
      'A signed dispensing.supplied event (EU FMD supplied): packs the pharmacy holds, handed to the patient against a prescription whose id and patient pseudonym it presents. Checked atomically; the receipt says how many packs remain.',
  })
  async dispense(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [DispensingEventTypes.supplied], [input]))[0];
  }

  @Roles(...DECOMMISSIONING_ROLES)
  @Mutation(() => EventReceiptModel, {
    description:
      'A signed dispensing.decommissioned event (sample, free_sample, locked, exported) for active packs you hold, or custody.destroyed / custody.reported_stolen.',
  })
  async decommission(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    const types = [DispensingEventTypes.decommissioned, CustodyEventTypes.destroyed, CustodyEventTypes.reportedStolen];
    return (await submitTyped(this.pipeline, caller, types, [input]))[0];
  }

  @Roles(...DECOMMISSIONING_ROLES)
  @Mutation(() => EventReceiptModel, {
    description:
      'A signed dispensing.undone event: puts packs of your own supply or decommission back to active, within DECOMMISSION_UNDO_DAYS of its acceptance (locked: no limit); never destroyed or stolen, recalled or expired packs. Undoing a supply gives the prescription its packs back.',
  })
  async undoDecommission(@Args('input') input: SignedEventInput, @CurrentCaller() caller: Caller): Promise<EventReceiptModel> {
    return (await submitTyped(this.pipeline, caller, [DispensingEventTypes.undone], [input]))[0];
  }

  @Roles(...CUSTODIAN_ROLES, 'regulator')
  @Query(() => PackVerdictModel, {
    description:
      'Verifies a pack without dispensing it: exactly one of `scan` (the scanner’s text: a GS1 element string, with or without ]d2/]Q3, or a Digital Link URI) and `fields` (typed from the label). An unreadable scan is refused with INVALID_SCAN, INVALID_GTIN, INVALID_SERIAL, INVALID_LOT or INVALID_EXPIRY; anything readable gets a verdict.',
  })
  async verifyPack(
    @CurrentCaller() caller: Caller,
    @Args('scan', { type: () => String, nullable: true }) scan?: string | null,
    @Args('fields', { type: () => PackFieldsInput, nullable: true }) fields?: PackFieldsInput | null,
  ): Promise<PackVerdictModel> {
    const given = [scan, fields].filter((x) => x !== undefined && x !== null);
    if (given.length !== 1) throw new DomainError('BAD_REQUEST', 'Send exactly one of scan (the scanner’s text) and fields (typed from the label).');
    const ids = packIdentifiersOf(
      scan !== undefined && scan !== null ? scan : { gtin: fields!.gtin, serial: fields!.serial, lot: fields!.lot ?? null, expiry: fields!.expiry ?? null },
    );
    return toPackVerdictModel(await this.verifier.verify(ids, new Date(), caller));
  }
}
