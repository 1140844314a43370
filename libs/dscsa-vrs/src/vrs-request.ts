// The parameters of a DSCSA verification request (GS1 US Lightweight Messaging Standard, "LMS"):
// GET /verify/gtin/{gtin}/lot/{lot}/ser/{serial}?exp=YYMMDD&linkType=verificationService&context=…
//     &reqGLN=…&corrUUID=…[&checkConnectivity=true]
// checked before anything is looked up or logged. Framework-free.
import { isValidGs1Number, parsePackScan, type PackIdentifiers } from '@pharmatrace/gs1';

/** The link types a verification request may name: LMS writes `verificationService`; the GS1 Web vocabulary's CURIE and URI mean the same. */
export const VRS_LINK_TYPES = ['verificationService', 'gs1:verificationService', 'https://gs1.org/voc/verificationService', 'https://ref.gs1.org/voc/verificationService'];

/** Context values LMS defines (others are accepted and logged as sent, for newer releases). */
export const KNOWN_VRS_CONTEXTS = ['dscsaSaleableReturn', 'dscsaSuspect', 'dscsaIllegitimate'];

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const CONTEXT = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A checked request. */
export interface VrsRequest {
  /** GTIN-14, lot, serial and the expiry as YYYY-MM-DD (from `exp`). */
  ids: PackIdentifiers & { lot: string; expiry: string };
  /** `exp` as sent (YYMMDD). */
  exp: string;
  context: string | null;
  reqGLN: string | null;
  corrUUID: string | null;
  checkConnectivity: boolean;
}

export type VrsRequestRefusalCode = 'INVALID_GTIN' | 'INVALID_LOT' | 'INVALID_SERIAL' | 'INVALID_EXPIRY' | 'INVALID_GLN' | 'INVALID_CORR_UUID' | 'INVALID_VRS_PARAMETER';
export type VrsRequestResult = { ok: true; request: VrsRequest } | { ok: false; code: VrsRequestRefusalCode; message: string };

type QueryValue = string | string[] | undefined;

const refuse = (code: VrsRequestRefusalCode, message: string): VrsRequestResult => ({ ok: false, code, message });

/**
 * Checks the path values (already percent-decoded) and the query. Every value once; `exp` required
 * (LMS: the requester sends the expiry printed on the pack); `reqGLN` a GLN-13 with a valid check digit;
 * `corrUUID` an RFC 4122 UUID; `linkType`, when sent, one of VRS_LINK_TYPES; `checkConnectivity` true or
 * false. Lot and serial: 1–20 characters of GS1 AI encodable character set 82, sent exactly (no
 * surrounding space). Refusal codes: INVALID_GTIN, INVALID_LOT, INVALID_SERIAL, INVALID_EXPIRY,
 * INVALID_GLN, INVALID_CORR_UUID, INVALID_VRS_PARAMETER.
 */
export function parseVrsRequest(path: { gtin: string; lot: string; serial: string }, query: Record<string, QueryValue>, now: Date = new Date()): VrsRequestResult {
  const one: Record<string, string | undefined> = {};
  for (const name of ['exp', 'linkType', 'context', 'reqGLN', 'corrUUID', 'checkConnectivity']) {
    const value = query[name];
    if (Array.isArray(value)) return refuse('INVALID_VRS_PARAMETER', `The query parameter ${name} was sent ${value.length} times; send it once.`);
    one[name] = value;
  }
  const { exp, linkType, context, reqGLN, corrUUID, checkConnectivity } = one;
  if (linkType !== undefined && !VRS_LINK_TYPES.includes(linkType)) {
    return refuse('INVALID_VRS_PARAMETER', `linkType must be verificationService for a verification request, not "${linkType.slice(0, 60)}".`);
  }
  if (checkConnectivity !== undefined && checkConnectivity !== 'true' && checkConnectivity !== 'false') {
    return refuse('INVALID_VRS_PARAMETER', 'checkConnectivity must be true or false.');
  }
  if (context !== undefined && !CONTEXT.test(context)) {
    return refuse('INVALID_VRS_PARAMETER', `context must be a name such as ${KNOWN_VRS_CONTEXTS[0]} (letters, digits, "_" or "-", at most 64).`);
  }
  if (reqGLN !== undefined && !isValidGs1Number(reqGLN, 13)) {
    return refuse('INVALID_GLN', 'reqGLN must be your 13-digit GLN with a valid GS1 check digit.');
  }
  if (corrUUID !== undefined && !UUID.test(corrUUID)) {
    return refuse('INVALID_CORR_UUID', 'corrUUID must be a UUID (8-4-4-4-12 hexadecimal digits), e.g. from crypto.randomUUID().');
  }
  if (exp === undefined || exp === '') return refuse('INVALID_EXPIRY', 'exp is missing: send the expiry date printed on the pack as YYMMDD.');
  if (!/^\d{6}$/.test(exp)) return refuse('INVALID_EXPIRY', 'exp must be the expiry date as six digits, YYMMDD (GS1 AI 17).');
  if (path.lot === '' || path.lot !== path.lot.trim()) return refuse('INVALID_LOT', 'The lot must be 1–20 characters of the GS1 character set, without surrounding spaces.');
  if (path.serial === '' || path.serial !== path.serial.trim()) return refuse('INVALID_SERIAL', 'The serial must be 1–20 characters of the GS1 character set, without surrounding spaces.');
  if (!/^\d{14}$/.test(path.gtin)) return refuse('INVALID_GTIN', 'The GTIN must be 14 digits (GTIN-14, zero-padded) with a valid GS1 check digit.');
  const scan = parsePackScan({ gtin: path.gtin, lot: path.lot, serial: path.serial, expiry: exp }, { now });
  if (!scan.ok) return refuse(scan.code === 'INVALID_SCAN' ? 'INVALID_VRS_PARAMETER' : scan.code, scan.message);
  const { pack } = scan;
  if (pack.lot === null || pack.expiry === null) return refuse('INVALID_VRS_PARAMETER', 'The lot and the expiry are both required.');
  return {
    ok: true,
    request: {
      ids: { ...pack, lot: pack.lot, expiry: pack.expiry },
      exp,
      context: context ?? null,
      reqGLN: reqGLN ?? null,
      corrUUID: corrUUID ?? null,
      checkConnectivity: checkConnectivity === 'true',
    },
  };
}
