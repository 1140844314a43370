// GraphQL shapes of tracing answers (libs/tracing/src/trace-views.ts). Packs are flat (scalars only), so
// a page of 1,000 costs 1,000 points, not 1,000 times its nested objects.
import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

const N = { nullable: true } as const;

@ObjectType('TracedPack', { description: 'An affected pack; custodian, containers and transit are its outermost container’s.' })
export class TracedPackModel {
  @Field({ description: 'sgtin:<GTIN-14>.<serial>' }) id!: string;
  @Field() batchId!: string;
  @Field() gtin!: string;
  @Field() lot!: string;
  @Field({ description: 'the pack’s own state (active, in_transit, recalled, supplied, destroyed, …)' }) state!: string;
  @Field() custodianId!: string;
  @Field() custodianName!: string;
  @Field() custodianGln!: string;
  @Field(() => String, { ...N, description: 'the case or pallet it is packed in directly' }) containerId!: string | null;
  @Field(() => String, { ...N, description: 'the outermost container; null when loose' }) outermostContainerId!: string | null;
  @Field(() => String, { ...N, description: 'the open shipment it travels in' }) shipmentId!: string | null;
  @Field(() => String, N) shipmentFromId!: string | null;
  @Field(() => String, N) shipmentToId!: string | null;
  @Field(() => String, { ...N, description: 'the signed time of the shipping event (ISO 8601)' }) shippedAt!: string | null;
}

@ObjectType('TracedDispense', { description: 'A supply to a patient, not undone; the patient only as the prescriber’s pseudonym.' })
export class TracedDispenseModel {
  @Field() packId!: string;
  @Field() pharmacyId!: string;
  @Field() pharmacyName!: string;
  @Field() pharmacyGln!: string;
  @Field() dispensedAt!: string;
  @Field() prescriptionId!: string;
  @Field() patientPseudonym!: string;
}

@ObjectType('TracedShipment', { description: 'An open shipment carrying affected goods.' })
export class TracedShipmentModel {
  @Field() id!: string;
  @Field() fromId!: string;
  @Field() toId!: string;
  @Field() shippedAt!: string;
  @Field(() => Int, { description: 'top-level items (packs, cases, pallets) it carries' }) items!: number;
  @Field(() => Int, { description: 'affected packs inside it, at any depth' }) affectedPacks!: number;
}

@ObjectType('StateCount')
export class StateCountModel {
  @Field() state!: string;
  @Field(() => Int) packs!: number;
}

@ObjectType('CustodianCount')
export class CustodianCountModel {
  @Field() participantId!: string;
  @Field() name!: string;
  @Field() gln!: string;
  @Field(() => Int) packs!: number;
}

@ObjectType('ForwardTraceSummary')
export class ForwardTraceSummaryModel {
  @Field(() => [String], { description: 'the batches traced (every batch that consumed the ingredient lot)' }) batches!: string[];
  @Field(() => Int) totalPacks!: number;
  @Field(() => [StateCountModel]) byState!: StateCountModel[];
  @Field(() => [CustodianCountModel], { description: 'the 1000 custodians with the most packs (then by id); the pages list every pack’s custodian' })
  byCustodian!: CustodianCountModel[];
  @Field(() => Int, { description: 'custodians left out of byCustodian beyond the first 1000' }) byCustodianOmitted!: number;
}

@ObjectType('ForwardTracePage', { description: 'One keyset page of a forward trace, ordered by pack id.' })
export class ForwardTracePageModel {
  @Field(() => ForwardTraceSummaryModel, { ...N, description: 'on the first page only (no `after`)' }) summary!: ForwardTraceSummaryModel | null;
  @Field(() => [TracedPackModel]) packs!: TracedPackModel[];
  @Field(() => [TracedShipmentModel], { description: 'open shipments carrying this page’s packs (a shipment may appear on several pages)' })
  shipmentsInTransit!: TracedShipmentModel[];
  @Field(() => [TracedDispenseModel], { description: 'supplies of this page’s packs to patients' }) dispenses!: TracedDispenseModel[];
  @Field(() => String, { ...N, description: 'pass as `after` for the next page' }) endCursor!: string | null;
  @Field() hasNextPage!: boolean;
}

@ObjectType('TraceCsvPage', { description: 'One page of a forward trace as RFC 4180 CSV, one row per pack; the header on the first page only.' })
export class TraceCsvPageModel {
  @Field() csv!: string;
  @Field(() => Int, { ...N, description: 'affected packs in all, on the first page only' }) totalPacks!: number | null;
  @Field(() => String, N) endCursor!: string | null;
  @Field() hasNextPage!: boolean;
}

@ObjectType('TracedBatch')
export class TracedBatchModel {
  @Field() id!: string;
  @Field() gtin!: string;
  @Field() lot!: string;
  @Field() productName!: string;
  @Field() manufacturedOn!: string;
  @Field() expiresOn!: string;
  @Field() manufacturerId!: string;
  @Field() manufacturerName!: string;
  @Field() manufacturerGln!: string;
}

@ObjectType('CertificateOfOrigin')
export class CertificateOfOriginModel {
  @Field({ description: 'SHA-256 (hex) of the certificate document' }) sha256!: string;
  @Field() issuer!: string;
  @Field() countryOfOrigin!: string;
  @Field() issuedOn!: string;
}

@ObjectType('TracedIngredientLot')
export class TracedIngredientLotModel {
  @Field() id!: string;
  @Field() material!: string;
  @Field() supplierId!: string;
  @Field() supplierName!: string;
  @Field() supplierGln!: string;
  @Field(() => CertificateOfOriginModel, N) certificate!: CertificateOfOriginModel | null;
}

@ObjectType('CustodyPeriod')
export class CustodyPeriodModel {
  @Field() participantId!: string;
  @Field() name!: string;
  @Field() gln!: string;
  @Field({ description: 'commissioning or receipt time (signed `at`)' }) since!: string;
  @Field(() => String, { ...N, description: 'when it shipped the pack on; null while it holds it or beyond what you may see' }) until!: string | null;
  @Field(() => String, { ...N, description: 'the shipment it arrived in; null for the commissioning manufacturer' }) arrivedBy!: string | null;
}

@ObjectType('TracedPackShipment')
export class TracedPackShipmentModel {
  @Field() id!: string;
  @Field() fromId!: string;
  @Field() toId!: string;
  @Field() state!: string;
  @Field() shippedAt!: string;
  @Field(() => String, N) closedAt!: string | null;
  @Field({ description: 'what was shipped: the pack or the container it was in' }) via!: string;
}

@ObjectType('TracedVerdict')
export class TracedVerdictModel {
  @Field({ description: 'the pack or a container it sat in' }) subject!: string;
  @Field() verdict!: string;
  @Field(() => Float) minutesOutOfRange!: number;
  @Field(() => Float, N) worstC!: number | null;
  @Field(() => Float, N) mktC!: number | null;
  @Field() evaluatedAt!: string;
}

@ObjectType('BackwardTrace', { description: 'Where a pack came from: batch, ingredient lots, custodians, temperature verdicts.' })
export class BackwardTraceModel {
  @Field() packId!: string;
  @Field(() => String, { ...N, description: 'null unless you may see its current state' }) state!: string | null;
  @Field(() => TracedBatchModel) batch!: TracedBatchModel;
  @Field(() => [TracedIngredientLotModel]) ingredientLots!: TracedIngredientLotModel[];
  @Field(() => [CustodyPeriodModel], { description: 'in order, at most 51 (see truncated)' }) custodians!: CustodyPeriodModel[];
  @Field(() => [TracedPackShipmentModel], { description: 'in order, the first 50 (see truncated)' }) shipments!: TracedPackShipmentModel[];
  @Field(() => [TracedVerdictModel], { description: 'the latest 50' }) temperatureVerdicts!: TracedVerdictModel[];
  @Field({ description: 'true when a list stopped at its cap (the first 50 shipments and the custody periods they give, 50 ingredient lots, the latest 50 verdicts)' })
  truncated!: boolean;
}

@ObjectType('RecallProgressCounts', { description: 'Packs of the recalled batches by where they stand now.' })
export class ProgressCountsModel {
  @Field(() => Int, { description: 'still in the chain, held by someone other than the manufacturer' }) inChain!: number;
  @Field(() => Int, { description: 'in an open shipment to the batch’s manufacturer' }) inTransitToManufacturer!: number;
  @Field(() => Int, { description: 'in an open shipment to anyone else' }) inTransitElsewhere!: number;
  @Field(() => Int, { description: 'held by the manufacturer again: it (or a container it was in) had been shipped by the manufacturer and came back' })
  returned!: number;
  @Field(() => Int, { description: 'held by the manufacturer and never shipped by it' }) neverShipped!: number;
  @Field(() => Int) destroyed!: number;
  @Field(() => Int, { description: 'supplied to patients before the recall' }) dispensedBeforeRecall!: number;
  @Field(() => Int, { description: 'stolen, lost, exported, samples' }) other!: number;
  @Field(() => Int) total!: number;
}

@ObjectType('CustodianProgress')
export class CustodianProgressModel extends ProgressCountsModel {
  @Field(() => String, { ...N, description: 'null for the aggregated "elsewhere" line' }) participantId!: string | null;
  @Field() name!: string;
  @Field(() => String, N) gln!: string | null;
}

@ObjectType('HolderNotification')
export class HolderNotificationModel {
  @Field() participantId!: string;
  @Field() name!: string;
  @Field(() => Int) revision!: number;
  @Field(() => [String]) reasons!: string[];
  @Field() notifiedAt!: string;
  @Field(() => String, N) acknowledgedAt!: string | null;
  @Field(() => String, { ...N, description: 'pending, delivered or failed; null without a webhook' }) webhookState!: string | null;
  @Field(() => Int, N) webhookAttempts!: number | null;
}

@ObjectType('AggregatedHolders')
export class AggregatedHoldersModel {
  @Field(() => Int) holders!: number;
  @Field(() => Int) acknowledged!: number;
}

@ObjectType('RecallProgress')
export class RecallProgressModel {
  @Field() recallId!: string;
  @Field() class!: string;
  @Field() state!: string;
  @Field() reason!: string;
  @Field() initiatorId!: string;
  @Field() initiatedAt!: string;
  @Field(() => [String]) batches!: string[];
  @Field(() => ProgressCountsModel) totals!: ProgressCountsModel;
  @Field(() => [CustodianProgressModel], {
    description: 'the 1000 custodian lines with the most packs (then by participant id), and a manufacturer’s aggregated "elsewhere" line last; a manufacturer’s direct customer’s line counts only packs the manufacturer shipped to it itself and it still holds',
  })
  byCustodian!: CustodianProgressModel[];
  @Field(() => Int, { description: 'custodian lines left out of byCustodian beyond the first 1000 (the totals count every pack; traceForward lists each pack’s custodian)' })
  byCustodianOmitted!: number;
  @Field(() => [HolderNotificationModel], { description: 'the first 1000 holders: those that have not acknowledged first, then by packs they were told of, then by participant id' })
  holders!: HolderNotificationModel[];
  @Field(() => Int, { description: 'holders left out of holders beyond the first 1000 (recallDeliveries lists everyone told)' }) holdersOmitted!: number;
  @Field(() => AggregatedHoldersModel, { ...N, description: 'a manufacturer’s view: everyone told but itself (direct customers included), counted; null for regulators' })
  elsewhereHolders!: AggregatedHoldersModel | null;
}
