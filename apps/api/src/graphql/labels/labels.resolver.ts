import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { PackLabelReads, PackLabelsService } from '@pharmatrace/labels';
import { Public, Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { BatchSerialsPageModel, PackLabelKeysModel, PackLabelRegistrationModel, RegisterPackLabelsInput } from './labels.types';

/**
 * Pack labels (docs/pack-labels.md): the product's manufacturer registers the label signatures it made
 * with its own key (the server holds no private key), and lists its batch's serials to sign them. The
 * label images are served over HTTP (apps/api/src/labels), to the manufacturer only.
 */
@Resolver()
export class LabelsResolver {
  constructor(
    private readonly labels: PackLabelsService,
    private readonly reads: PackLabelReads,
  ) {}

  @Roles('manufacturer')
  @Mutation(() => PackLabelRegistrationModel, {
    description:
      'Registers 1–10,000 label signatures for packs of one of your batches, atomically, each checked against your key `kid`. Re-registering a stored signature is a no-op; a new valid signature replaces the old one (reprint after key rotation). Refusals: LABELS_TOO_MANY, UNKNOWN_PRODUCT, NOT_PRODUCT_OWNER, UNKNOWN_BATCH, UNKNOWN_KEY, KEY_REVOKED, LABELS_REJECTED (details.errors: index, serial, code — INVALID_SERIAL, LABEL_DUPLICATE_SERIAL, LABEL_PACK_NOT_IN_LOT, LABEL_SIGNATURE_INVALID).',
  })
  async registerPackLabels(@Args('input') input: RegisterPackLabelsInput, @CurrentCaller() caller: Caller): Promise<PackLabelRegistrationModel> {
    return this.labels.registerPackLabels(caller, input.gtin, input.lot, input.kid, input.items);
  }

  @Roles('manufacturer')
  @Query(() => BatchSerialsPageModel, {
    description: 'The serials commissioned into one of your batches, in serial order: `first` 1–1000 after the serial `after`. UNKNOWN_BATCH for a batch that is not yours, as for a missing one.',
  })
  async batchSerials(
    @CurrentCaller() caller: Caller,
    @Args('gtin') gtin: string,
    @Args('lot') lot: string,
    @Args('first', { type: () => Int, defaultValue: 1000 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<BatchSerialsPageModel> {
    return this.reads.batchSerials(caller, gtin, lot, first, after ?? null);
  }

  @Public()
  @Query(() => PackLabelKeysModel, {
    nullable: true,
    description:
      'Public: the manufacturer keys that may have signed the labels of product `gtin` (8–14 digits), for apps that verify a label offline (verifyPackLabel). validForLabels is false for a key revoked as compromised. Null for an unknown GTIN.',
  })
  packLabelKeys(@Args('gtin') gtin: string): Promise<PackLabelKeysModel | null> {
    return this.reads.labelKeys(gtin);
  }
}
