import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { RecallBatchView, RecallRevisionView, RecallSummaryRow, RecallView } from '@pharmatrace/recalls';

@ObjectType('RecallBatch', { description: 'A batch a recall covers: named, or reached through an ingredient lot it consumed.' })
export class RecallBatchModel {
  @Field({ description: 'batch:<GTIN-14>/<lot>' }) batchId!: string;
  @Field(() => String, { nullable: true, description: 'the ingredient lot through which the recall reached it; null when named' }) viaIngredientLot!: string | null;
  @Field(() => Int, { description: 'the revision that added it (1 = the initiation)' }) addedRevision!: number;
}

@ObjectType('RecallIngredientLot')
export class RecallIngredientLotModel {
  @Field({ description: 'ingredient-lot:<supplier>/<lot>' }) ingredientLotId!: string;
  @Field(() => Int) addedRevision!: number;
}

@ObjectType('RecallRevision', { description: 'One signed recall event: 1 = initiated, then each amendment, and the close.' })
export class RecallRevisionModel {
  @Field(() => Int) revision!: number;
  @Field({ description: 'initiated, amended or closed' }) kind!: string;
  @Field(() => Int, { description: 'the event’s sequence number in the ledger' }) seq!: number;
  @Field({ description: 'the event’s hash' }) eventHash!: string;
  @Field({ description: 'ISO 8601 UTC, when the server accepted it' }) at!: string;
  @Field({ description: 'the instructions in force from this revision on' }) instructions!: string;
}

@ObjectType('Recall', { description: 'A recall of batches and ingredient lots (FDA 21 CFR 7; DESIGN.md "Recalls and tracing").' })
export class RecallModel {
  @Field({ description: 'recall:<id>' }) id!: string;
  @Field({ description: 'FDA 21 CFR 7.3(m) class: I, II or III' }) class!: string;
  @Field() reason!: string;
  @Field({ description: 'what holders must do (the current instructions)' }) instructions!: string;
  @Field() notifyPatients!: boolean;
  @Field({ description: 'open or closed' }) state!: string;
  @Field(() => Int, { description: 'the latest revision' }) revision!: number;
  @Field({ description: 'the regulator or manufacturer that initiated it' }) initiatorId!: string;
  @Field({ description: 'ISO 8601 UTC' }) initiatedAt!: string;
  @Field(() => String, { nullable: true, description: 'ISO 8601 UTC; null while open' }) closedAt!: string | null;
  @Field(() => String, { nullable: true }) closeSummary!: string | null;
  @Field(() => [RecallBatchModel], { nullable: true, description: 'the batches it covers (on recall(id); null in lists)' }) batches!: RecallBatchView[] | null;
  @Field(() => [RecallIngredientLotModel], { nullable: true, description: 'the ingredient lots it names (on recall(id); null in lists)' })
  ingredientLots!: Array<{ ingredientLotId: string; addedRevision: number }> | null;
  @Field(() => [RecallRevisionModel], { nullable: true, description: 'its revisions, oldest first (on recall(id); null in lists)' }) revisions!: RecallRevisionView[] | null;
}

export const toRecallModel = (r: RecallView | RecallSummaryRow): RecallModel => ({
  id: r.id,
  class: r.class,
  reason: r.reason,
  instructions: r.instructions,
  notifyPatients: r.notifyPatients,
  state: r.state,
  revision: r.revision,
  initiatorId: r.initiatorId,
  initiatedAt: r.initiatedAt,
  closedAt: r.closedAt,
  closeSummary: r.closeSummary,
  batches: 'batches' in r ? r.batches : null,
  ingredientLots: 'ingredientLots' in r ? r.ingredientLots : null,
  revisions: 'revisions' in r ? r.revisions : null,
});
