import { Field, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PACK_STATUSES, PackStatus, PackVerdict, VERDICT_REASON_CODES, VerdictReasonCode } from '@pharmatrace/verification';

// The GraphQL enums are the domain's lists, value for value.
const PackStatusEnum = Object.fromEntries(PACK_STATUSES.map((s) => [s, s])) as { [S in PackStatus]: S };
const VerdictReasonCodeEnum = Object.fromEntries(VERDICT_REASON_CODES.map((c) => [c, c])) as { [C in VerdictReasonCode]: C };

registerEnumType(PackStatusEnum, {
  name: 'PackStatus',
  description:
    'A pack’s state: active, in_transit, the EU FMD inactive states (supplied — dispensed to a patient —, sample, free_sample, locked, exported, destroyed, stolen), lost, quarantined, recalled, expired; unknown when the serial was never commissioned.',
});
registerEnumType(VerdictReasonCodeEnum, {
  name: 'VerdictReasonCode',
  description: 'Why a pack is not fit to dispense, in the EMVS alert vocabulary (see libs/verification/src/pack-verdict.ts for the EU Hub alert and NMVS code of each).',
});

@InputType('PackFieldsInput', { description: 'A pack’s identifiers typed from the label, when its code cannot be scanned.' })
export class PackFieldsInput {
  @Field({ description: 'GTIN-8, -12, -13 or -14 (AI 01), check digit included' }) gtin!: string;
  @Field({ description: 'serial number (AI 21)' }) serial!: string;
  @Field(() => String, { nullable: true, description: 'lot / batch number (AI 10)' }) lot?: string | null;
  @Field(() => String, { nullable: true, description: 'expiry date (AI 17): YYYY-MM-DD, or YYMMDD as in the code (DD 00: the month’s last day)' }) expiry?: string | null;
}

@ObjectType('VerdictReason')
export class VerdictReasonModel {
  @Field(() => VerdictReasonCodeEnum) code!: VerdictReasonCode;
  @Field({ description: 'a sentence for the person at the counter' }) message!: string;
  @Field(() => String, { nullable: true, description: 'the EU Hub (EMVS) alert, e.g. A3' }) emvs!: string | null;
  @Field(() => String, { nullable: true, description: 'the NMVS return code, e.g. NMVS_NC_PC_02' }) nmvs!: string | null;
}

@ObjectType('ScannedPack', { description: 'The identifiers a verdict answers for, as read from the scan (GTIN as 14 digits).' })
export class ScannedPackModel {
  @Field() gtin!: string;
  @Field() serial!: string;
  @Field(() => String, { nullable: true }) lot!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) expiry!: string | null;
}

@ObjectType('VerifiedProduct')
export class VerifiedProductModel {
  @Field() gtin!: string;
  @Field() name!: string;
  @Field() activeIngredient!: string;
  @Field() strength!: string;
  @Field() form!: string;
  @Field() manufacturerId!: string;
  @Field() manufacturerName!: string;
}

@ObjectType('VerifiedBatch')
export class VerifiedBatchModel {
  @Field() lot!: string;
  @Field({ description: 'YYYY-MM-DD' }) expiresOn!: string;
}

@ObjectType('VerifiedPack')
export class VerifiedPackModel {
  @Field({ description: 'sgtin:<gtin14>.<serial>' }) id!: string;
  @Field(() => PackStatusEnum) state!: PackStatus;
  @Field(() => String, { nullable: true, description: 'who holds it: only for that custodian itself and regulators, null for anyone else' })
  custodianId!: string | null;
}

@ObjectType('VerdictRecall', { description: 'The recall a pack’s batch is in (open or closed: recalled is final).' })
export class VerdictRecallModel {
  @Field({ description: 'recall:<id>' }) id!: string;
  @Field({ description: 'FDA 21 CFR 7.3(m) class: I, II or III' }) class!: string;
  @Field() reason!: string;
  @Field({ description: 'what to do with the pack: the recall’s current instructions' }) instructions!: string;
  @Field({ description: 'whether patients who were supplied a pack are to be told' }) notifyPatients!: boolean;
  @Field({ description: 'when the recall was initiated (ISO 8601 UTC)' }) initiatedAt!: string;
}

@ObjectType('PackVerdict', { description: 'One verdict for every scan: is this pack what it claims, and fit to hand on?' })
export class PackVerdictModel {
  @Field({ description: 'true exactly when reasons is empty' }) fitToDispense!: boolean;
  @Field(() => PackStatusEnum) status!: PackStatus;
  @Field(() => [VerdictReasonModel]) reasons!: VerdictReasonModel[];
  @Field(() => ScannedPackModel) scanned!: ScannedPackModel;
  @Field({ description: 'when the verdict was taken; the expiry is judged on that UTC day' }) checkedAt!: string;
  @Field(() => VerifiedProductModel, { nullable: true, description: 'the registered product, when the GTIN is known' }) product!: VerifiedProductModel | null;
  @Field(() => VerifiedBatchModel, { nullable: true, description: 'the pack’s batch, when every identifier scanned matched it' }) batch!: VerifiedBatchModel | null;
  @Field(() => VerifiedPackModel, { nullable: true, description: 'the pack, when the serial is known' }) pack!: VerifiedPackModel | null;
  @Field(() => VerdictRecallModel, { nullable: true, description: 'the recall the pack’s batch is in, when the serial is known and its batch is in one' })
  recall!: VerdictRecallModel | null;
}

export const toPackVerdictModel = (v: PackVerdict): PackVerdictModel => ({
  fitToDispense: v.fitToDispense,
  status: v.status,
  reasons: v.reasons.map((r) => ({ ...r })),
  scanned: { ...v.scanned },
  checkedAt: v.checkedAt,
  product: v.product ?? null,
  batch: v.batch ?? null,
  pack: v.pack ? { id: v.pack.id, state: v.pack.state, custodianId: v.pack.custodianId ?? null } : null,
  recall: v.recall ? { ...v.recall } : null,
});
