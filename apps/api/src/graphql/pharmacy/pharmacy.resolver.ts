import { Args, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { CUSTODIAN_ROLES } from '@pharmatrace/custody';
import { DomainError } from '@pharmatrace/errors';
import { PackVerifier, packIdentifiersOf } from '@pharmatrace/verification';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { PackFieldsInput, PackVerdictModel, toPackVerdictModel } from './pack-verdict.types';

/** What the pharmacy counter asks before it hands a pack on (any custodian may ask it, and regulators). */
@Resolver()
export class PharmacyResolver {
  constructor(private readonly verifier: PackVerifier) {}

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
