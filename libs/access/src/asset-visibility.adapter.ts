// The access model on the write path: a signer that may not see an asset's current head gets the answer
// an unknown asset would get, not STALE_PREV with the head (which would reveal what happened since).
import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AssetVisibility, EventRuleRegistry, Signer } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { unknownPrescription } from '@pharmatrace/prescriptions/prescription-errors';
import { unknownRecall } from '@pharmatrace/recalls/recall-errors';
import { AccessPolicy } from './access-policy.service';

/**
 * What a caller that may not see the asset is told. Items and shipments answer exactly as missing ones
 * (their existence is not the caller's business); the participant directory and the product catalogue
 * are visible to every signed-in caller, so there the answer names the ownership rule instead.
 */
export function hiddenAssetError(assetId: string): DomainError {
  if (assetId.startsWith('shipment:')) return new DomainError('UNKNOWN_SHIPMENT', `No shipment ${assetId} exists.`);
  if (assetId.startsWith('prescription:')) return unknownPrescription(assetId);
  if (assetId.startsWith('recall:')) return unknownRecall(assetId);
  if (assetId.startsWith('participant:')) return new DomainError('NOT_OWNER', `Only ${assetId.slice('participant:'.length)} itself or a regulator may change its keys.`);
  if (assetId.startsWith('product:') || assetId.startsWith('batch:')) {
    return new DomainError('NOT_PRODUCT_OWNER', `Only the manufacturer that registered ${assetId} may do this.`, { asset: assetId });
  }
  return new DomainError('UNKNOWN_ITEM', `No item ${assetId} is registered.`, { item: assetId });
}

@Injectable()
export class AccessAssetVisibility implements AssetVisibility, OnModuleInit {
  constructor(
    private readonly registry: EventRuleRegistry,
    private readonly policy: AccessPolicy,
  ) {}

  onModuleInit(): void {
    this.registry.useAssetVisibility(this);
  }

  async hiddenAsset(manager: EntityManager, signer: Signer, assetId: string): Promise<DomainError | null> {
    if (signer.role === 'system') return null;
    const rows: Array<{ head_seq: string }> = await manager.query('SELECT head_seq FROM asset_heads WHERE asset_id = $1', [assetId]);
    if (!rows[0]) return null;
    const horizons = await this.policy.horizons({ participantId: signer.participantId, role: signer.role }, [assetId], manager);
    return (horizons.get(assetId) ?? -1) >= Number(rows[0].head_seq) ? null : hiddenAssetError(assetId);
  }
}
