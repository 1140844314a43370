import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum TemperatureVerdict {
  within_policy = 'within_policy',
  broken = 'broken',
  no_readings = 'no_readings',
  not_evaluated = 'not_evaluated',
}
registerEnumType(TemperatureVerdict, {
  name: 'TemperatureVerdict',
  description: 'within_policy and broken judge the readings; no_readings: none in the window; not_evaluated: no verdict yet.',
});

@ObjectType('TemperatureReading')
export class TemperatureReadingModel {
  @Field() takenAt!: string;
  @Field(() => Float) celsius!: number;
  @Field() loggerKid!: string;
  @Field(() => Int, { description: 'The event that uploaded it.' }) uploadSeq!: number;
  @Field({
    description:
      'True when the reading is evidence about the subject: taken inside its custody window (an item from its commissioning on, a shipment between shipping and receipt) by a key of whoever held it then. Readings that are not counted are never judged.',
  })
  counted!: boolean;
}

@ObjectType('ColdChainItemState')
export class ColdChainItemStateModel {
  @Field() id!: string;
  @Field() state!: string;
  @Field(() => String, { nullable: true }) stateReason!: string | null;
}

@ObjectType('TemperatureEvaluation', { description: 'The latest verdict on an item against one product’s policy.' })
export class TemperatureEvaluationModel {
  @Field({ description: 'The item judged.' }) subject!: string;
  @Field({ description: 'The product whose policy applied.' }) gtin!: string;
  @Field(() => String, { nullable: true }) windowFrom!: string | null;
  @Field(() => String, { nullable: true }) windowTo!: string | null;
  @Field(() => Int) readings!: number;
  @Field(() => Float) minutesOutOfRange!: number;
  @Field(() => Float, { nullable: true }) worstC!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean kinetic temperature (USP ⟨1160⟩, ΔH/R = 10,000 K).' }) mktC!: number | null;
  @Field(() => TemperatureVerdict) verdict!: string;
  @Field(() => [String]) breaches!: string[];
  @Field(() => [String]) reasons!: string[];
  @Field() evaluatedAt!: string;
  @Field(() => String, { nullable: true, description: 'The quarantine event this verdict caused, while it is in force.' }) quarantineHash!: string | null;
}

@ObjectType('TemperatureHistory')
export class TemperatureHistoryModel {
  @Field() subject!: string;
  @Field(() => TemperatureVerdict, { description: 'The worst of the evaluations.' }) verdict!: string;
  @Field(() => Int) readingCount!: number;
  @Field(() => Int, { description: 'Of readingCount, the readings outside the subject’s custody window (or by someone who did not hold it then): stored, but counted for nothing.' })
  excludedReadingCount!: number;
  @Field(() => [TemperatureReadingModel], { description: 'Readings in time order (a page: see after and first).' }) readings!: TemperatureReadingModel[];
  @Field({ description: 'True while uploaded readings wait for the worker.' }) evaluationPending!: boolean;
  @Field(() => [ColdChainItemStateModel], { description: 'The item, or the shipment’s items.' }) items!: ColdChainItemStateModel[];
  @Field(() => [TemperatureEvaluationModel]) evaluations!: TemperatureEvaluationModel[];
}
