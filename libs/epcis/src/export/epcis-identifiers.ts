// PharmaTrace asset ids as GS1 Digital Link URIs (GS1 Digital Link 1.2; EPCIS 2.0 §8.2 accepts them as EPCs).
// Framework-free.

/** Namespace of PharmaTrace's user extensions in exported EPCIS documents (docs/epcis.md). */
export const PT_NAMESPACE = 'https://pharmatrace.example/epcis/';
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';
/** The document's `@context`: the EPCIS 2.0 context, then the `pt` prefix of our extensions. */
export const EPCIS_DOCUMENT_CONTEXT: [string, { pt: string }] = [EPCIS_CONTEXT_URL, { pt: PT_NAMESPACE }];

const DL = 'https://id.gs1.org';

/** `sgtin:<gtin14>.<serial>` → `https://id.gs1.org/01/<gtin14>/21/<serial>`; `sscc:<18>` → `…/00/<sscc>`; anything else null. */
export function epcOf(assetId: string): string | null {
  const pack = /^sgtin:(\d{14})\.(.+)$/.exec(assetId);
  if (pack) return `${DL}/01/${pack[1]}/21/${encodeURIComponent(pack[2])}`;
  const unit = /^sscc:(\d{18})$/.exec(assetId);
  if (unit) return `${DL}/00/${unit[1]}`;
  return null;
}

/** `batch:<gtin14>/<lot>` → the EPC class `https://id.gs1.org/01/<gtin14>/10/<lot>`, or null. */
export function epcClassOfBatch(batchId: string): string | null {
  const m = /^batch:(\d{14})\/(.+)$/.exec(batchId);
  return m ? `${DL}/01/${m[1]}/10/${encodeURIComponent(m[2])}` : null;
}

/** The inverse of epcOf, for query filters: a Digital Link pack or SSCC URI (or a PharmaTrace asset id) → asset id, or null. */
export function assetIdOfEpc(epc: string): string | null {
  if (/^(sgtin:\d{14}\.[\x21-\x7e]{1,20}|sscc:\d{18})$/.test(epc)) return epc;
  const pack = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\/([^/?#]{1,60})$/.exec(epc);
  if (pack) {
    try {
      return `sgtin:${pack[1]}.${decodeURIComponent(pack[2])}`;
    } catch {
      return null;
    }
  }
  const unit = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/.exec(epc);
  return unit ? `sscc:${unit[1]}` : null;
}

/** A location (readPoint / bizLocation): the participant's GLN as Digital Link AI 414. */
export const locationOfGln = (gln: string): string => `${DL}/414/${gln}`;
/** A party (source / destination): the participant's GLN as Digital Link AI 417. */
export const partyOfGln = (gln: string): string => `${DL}/417/${gln}`;
