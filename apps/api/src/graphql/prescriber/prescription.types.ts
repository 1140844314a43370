import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { PrescriptionView } from '@pharmatrace/prescriptions';

@ObjectType('PrescribedProduct', { description: 'A GTIN, or an active ingredient, strength and form (any matching registered product).' })
export class PrescribedProductModel {
  @Field(() => String, { nullable: true, description: 'GTIN-14, when one product is prescribed' }) gtin!: string | null;
  @Field(() => String, { nullable: true }) activeIngredient!: string | null;
  @Field(() => String, { nullable: true }) strength!: string | null;
  @Field(() => String, { nullable: true }) form!: string | null;
}

@ObjectType('Prescription', { description: 'A signed prescription (docs/prescriptions.md). The patient appears only as the prescriber’s pseudonym.' })
export class PrescriptionModel {
  @Field({ description: 'the id the prescriber chose' }) id!: string;
  @Field({ description: 'prescription:<id>, the chain of its events' }) assetId!: string;
  @Field() prescriberId!: string;
  @Field({ description: 'the patient pseudonym: 64 lowercase hex characters (HMAC-SHA-256 by the prescriber)' }) patient!: string;
  @Field(() => PrescribedProductModel) product!: PrescribedProductModel;
  @Field(() => Int, { description: 'packs per fill' }) quantity!: number;
  @Field(() => Int) refills!: number;
  @Field(() => Int, { description: 'packs still allowed over all fills (quantity × (1 + refills) at issue)' }) remaining!: number;
  @Field({ description: 'first day it may be dispensed (YYYY-MM-DD)' }) validFrom!: string;
  @Field({ description: 'last day it may be dispensed (YYYY-MM-DD)' }) validUntil!: string;
  @Field({ description: 'none, II, III, IV or V' }) controlledClass!: string;
  @Field({ description: 'active, cancelled, exhausted, or expired (validUntil has passed): only an active one dispenses' }) state!: string;
  @Field(() => Int) issuedSeq!: number;
  @Field(() => Int) updatedSeq!: number;
}

export const toPrescriptionModel = (p: PrescriptionView): PrescriptionModel => ({
  id: p.id,
  assetId: p.assetId,
  prescriberId: p.prescriberId,
  patient: p.patientPseudonym,
  product: 'gtin' in p.product
    ? { gtin: p.product.gtin, activeIngredient: null, strength: null, form: null }
    : { gtin: null, activeIngredient: p.product.activeIngredient, strength: p.product.strength, form: p.product.form },
  quantity: p.quantity,
  refills: p.refills,
  remaining: p.remaining,
  validFrom: p.validFrom,
  validUntil: p.validUntil,
  controlledClass: p.controlledClass,
  state: p.state,
  issuedSeq: p.issuedSeq,
  updatedSeq: p.updatedSeq,
});
