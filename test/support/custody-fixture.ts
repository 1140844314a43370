// A small supply chain for custody suites: products and batches registered through the SDK, the way a
// manufacturer's line system would.
import { gs1CheckDigit, withSsccCheckDigit } from '@pharmatrace/gs1';
import { PharmaTraceClient, ProductSpec, registerBatch, registerProduct } from '@pharmatrace/sdk';

let counter = 0;
const unique = (digits: number): string => `${Date.now() % 10 ** 7}${String(counter++).padStart(4, '0')}`.slice(-digits).padStart(digits, '0');

export const newGtin = (): string => {
  const body = `0${unique(12)}`;
  return `${body}${gs1CheckDigit(body)}`;
};
export const newSscc = (): string => `sscc:${withSsccCheckDigit(`1${unique(16)}`)}`;

export function productSpec(gtin: string, overrides: Partial<ProductSpec> = {}): ProductSpec {
  return {
    gtin,
    name: 'Insulin glargine 100 U/mL pen',
    activeIngredient: 'insulin glargine',
    strength: '100 U/mL',
    form: 'solution for injection',
    storage: { minC: 2, maxC: 8 },
    excursionPolicy: { maxMinutesOutOfRange: 60, maxMktC: 8 },
    controlledClass: 'none',
    ...overrides,
  };
}

/** Registers a product and a batch of it; returns the batch asset id. */
export async function productAndBatch(maker: PharmaTraceClient, quantity = 1000, dates = { manufacturedOn: '2026-01-10', expiresOn: '2028-01-31' }): Promise<{ gtin: string; batch: string }> {
  const gtin = newGtin();
  await registerProduct(maker, productSpec(gtin));
  const { id } = await registerBatch(maker, { gtin, lot: `L${unique(6)}`, quantity, ...dates });
  return { gtin, batch: id };
}
