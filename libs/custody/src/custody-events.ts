// Event types, asset ids and payloads (data version 1) of the catalog and of custody. Framework-free:
// the SDK builds these payloads, the server checks them, and the audit replays them with one definition.
import type { EventEnvelope } from '@pharmatrace/ledger-core';

export const CatalogEventTypes = {
  productRegistered: 'catalog.product_registered',
  ingredientLotRegistered: 'catalog.ingredient_lot_registered',
  batchRegistered: 'catalog.batch_registered',
} as const;

export const CustodyEventTypes = {
  commissioned: 'custody.commissioned',
  packed: 'custody.packed',
  unpacked: 'custody.unpacked',
  shipped: 'custody.shipped',
  received: 'custody.received',
  refused: 'custody.refused',
  /** CBV bizStep void_shipping: the sender cancels a shipment still in transit; the goods are back in its custody. */
  shippingVoided: 'custody.shipping_voided',
  destroyed: 'custody.destroyed',
  reportedStolen: 'custody.reported_stolen',
  reportedLost: 'custody.reported_lost',
} as const;

/** Roles that hold goods: only they pack, ship, receive and dispose. */
export const CUSTODIAN_ROLES = ['supplier', 'manufacturer', 'wholesaler', 'pharmacy'] as const;

/** Most packs one commissioning event creates; bigger runs are several events in one atomic batch. */
export const MAX_SERIALS_PER_EVENT = 1000;
export const MAX_ITEMS_PER_EVENT = 999;

export const productAssetId = (gtin14: string): string => `product:${gtin14}`;
export const batchAssetId = (gtin14: string, lot: string): string => `batch:${gtin14}/${lot}`;
export const packAssetId = (gtin14: string, serial: string): string => `sgtin:${gtin14}.${serial}`;
export const logisticUnitAssetId = (sscc: string): string => `sscc:${sscc}`;
export const ingredientLotAssetId = (supplierId: string, lotNumber: string): string => `ingredient-lot:${supplierId}/${lotNumber}`;
export const shipmentAssetId = (id: string): string => `shipment:${id}`;

/**
 * The ALREADY_REGISTERED sentence for a catalog or custody id a creating event finds taken: names the id and
 * says what to choose instead.
 */
export function alreadyRegisteredMessage(assetId: string): string {
  const [prefix] = assetId.split(':', 1);
  switch (prefix) {
    case 'product':
      return `Product ${assetId} is already registered; a GTIN is registered once — give a different product its own GTIN.`;
    case 'batch':
      return `Batch ${assetId} is already registered; choose another lot number.`;
    case 'sgtin':
      return `Pack ${assetId} is already commissioned; a serial can be used once only, so choose another serial.`;
    case 'sscc':
      return `Container ${assetId} is already registered; choose another SSCC, or cite its current head to pack into it.`;
    case 'ingredient-lot':
      return `Ingredient lot ${assetId} is already registered; choose another lot number.`;
    case 'shipment':
      return `Shipment ${assetId} is already registered; choose another shipment id.`;
    default:
      return `${assetId} is already registered; choose another id.`;
  }
}

export function parseBatchAssetId(id: string): { gtin: string; lot: string } | null {
  const m = /^batch:(\d{14})\/(.+)$/.exec(id);
  return m ? { gtin: m[1], lot: m[2] } : null;
}

export interface StorageRange {
  minC: number;
  maxC: number;
}

export interface ExcursionPolicy {
  /** Cumulative minutes outside the storage range tolerated over the custody window. */
  maxMinutesOutOfRange: number;
  /** Highest mean kinetic temperature tolerated (USP <1160>), or null to judge only time out of range. */
  maxMktC: number | null;
}

export const CONTROLLED_CLASSES = ['none', 'CI', 'CII', 'CIII', 'CIV', 'CV'] as const;
export type ControlledClass = (typeof CONTROLLED_CLASSES)[number];

export type ProductRegisteredData = {
  v: 1;
  product: {
    gtin: string;
    name: string;
    activeIngredient: string;
    strength: string;
    form: string;
    storage: StorageRange;
    excursionPolicy: ExcursionPolicy;
    controlledClass: ControlledClass;
  };
};

export type IngredientLotRegisteredData = {
  v: 1;
  lot: {
    number: string;
    material: string;
    quantity: number;
    unit: string;
    /** Certificate of origin: the document's SHA-256 (hex) and what it says. */
    certificate: { sha256: string; issuer: string; countryOfOrigin: string; issuedOn: string };
  };
};

export type BatchRegisteredData = {
  v: 1;
  batch: { gtin: string; lot: string; manufacturedOn: string; expiresOn: string; quantity: number };
  /** Asset ids of the ingredient lots consumed (each must be in the manufacturer's custody). */
  ingredientLots: string[];
};

export type CommissionedData = { v: 1; batch: string; serials: string[] };

export type PackedData = { v: 1; container: { id: string; kind: 'case' | 'pallet' }; contents: string[] };
export type UnpackedData = { v: 1; container: string; contents: string[] };

export type ShippedData = { v: 1; shipment: string; to: string; items: string[] };
export type ReceivedData = { v: 1; shipment: string };
export type RefusedData = { v: 1; shipment: string; reason: string };
export type ShippingVoidedData = { v: 1; shipment: string; reason: string };

export type DisposalData = { v: 1; items: string[]; reason: string };

/**
 * Assets an event creates without listing them in `assets` (bulk creation: a commissioning event names
 * up to a thousand packs in its data). Each starts its chain at that event. Shared by the server and the audit.
 */
export function implicitAssetsOf(event: EventEnvelope): string[] {
  if (event.type !== CustodyEventTypes.commissioned) return [];
  const data = event.data as Partial<CommissionedData>;
  const batch = typeof data.batch === 'string' ? parseBatchAssetId(data.batch) : null;
  if (!batch || !Array.isArray(data.serials)) return [];
  return data.serials.filter((s): s is string => typeof s === 'string').map((s) => packAssetId(batch.gtin, s));
}
