// The GS1 Digital Link a PharmaTrace label carries (docs/pack-labels.md): the canonical form GS1's
// grammar defines, `<base>/01/<GTIN-14>/10/<lot>/21/<serial>?17=<YYMMDD>`, plus the manufacturer's label
// signature as two extension parameters: `sig` (base64url Ed25519, 86 characters) and `kid` (the 32 hex
// digits of the signing key's id `ed25519:<hex>`). Extension parameters are allowed by the Digital Link
// grammar (non-numeric keys) and ignored by resolvers that do not know them.
import { encodeForGrammar } from './digital-link';

/** Query parameter holding the label signature. */
export const LABEL_SIGNATURE_PARAMETER = 'sig';
/** Query parameter holding the signing key's id, without its `ed25519:` prefix. */
export const LABEL_KEY_PARAMETER = 'kid';
const KID_PREFIX = 'ed25519:';

/** What a label's link identifies: GTIN-14, lot, serial and the expiry as YYYY-MM-DD. */
export interface PackLinkFields {
  gtin: string;
  lot: string;
  serial: string;
  /** YYYY-MM-DD */
  expiresOn: string;
}

/** The label signature a link carries: base64url signature and full key id (`ed25519:<hex>`). */
export interface PackLinkSignature {
  signature: string;
  kid: string;
}

/** YYYY-MM-DD as GS1 AI 17 prints it: YYMMDD. */
export function isoToGs1Date(iso: string): string {
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
}

/**
 * The canonical Digital Link of a pack on `baseUrl` (its path prefix kept, a trailing slash dropped),
 * lot and serial percent-encoded the one way the GS1 grammar spells them, and the signature when given.
 */
export function formatPackDigitalLink(baseUrl: string, pack: PackLinkFields, label?: PackLinkSignature): string {
  const base = baseUrl.replace(/\/+$/, '');
  let link = `${base}/01/${pack.gtin.padStart(14, '0')}/10/${encodeForGrammar(pack.lot)}/21/${encodeForGrammar(pack.serial)}?17=${isoToGs1Date(pack.expiresOn)}`;
  if (label) {
    const kid = label.kid.startsWith(KID_PREFIX) ? label.kid.slice(KID_PREFIX.length) : label.kid;
    link += `&${LABEL_SIGNATURE_PARAMETER}=${label.signature}&${LABEL_KEY_PARAMETER}=${kid}`;
  }
  return link;
}

/**
 * The label signature in a link's query, or null when it carries none. Present but incomplete or
 * garbled (one parameter without the other, a broken escape) still returns what it holds, so that the
 * verdict says "bad signature" rather than "unsigned": a missing half is not the same as no label.
 */
export function readPackLinkSignature(uri: string): PackLinkSignature | null {
  const queryStart = uri.indexOf('?');
  if (queryStart < 0) return null;
  const hash = uri.indexOf('#', queryStart);
  const query = uri.slice(queryStart + 1, hash < 0 ? undefined : hash);
  let signature: string | null = null;
  let kid: string | null = null;
  let contradictory = false;
  for (const raw of query.split(/[&;]/)) {
    const equals = raw.indexOf('=');
    const key = (equals < 0 ? raw : raw.slice(0, equals)).toLowerCase();
    const value = equals < 0 ? '' : safeDecode(raw.slice(equals + 1));
    if (key === LABEL_SIGNATURE_PARAMETER) {
      contradictory ||= signature !== null && signature !== value;
      signature = value;
    } else if (key === LABEL_KEY_PARAMETER) {
      contradictory ||= kid !== null && kid !== value;
      kid = value;
    }
  }
  // Two different signatures (or keys) in one link cannot both be the label's: it verifies as neither.
  if (contradictory) return { signature: '', kid: KID_PREFIX };
  if (signature === null && kid === null) return null;
  const hex = kid ?? '';
  return { signature: signature ?? '', kid: hex.startsWith(KID_PREFIX) ? hex : `${KID_PREFIX}${hex}` };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
