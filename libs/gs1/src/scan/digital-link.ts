// GS1 Digital Link URIs. digital-link.js (the SDK behind GS1's Digital Link tools) does two things
// here: it expands a compressed link, and it judges every link against the ABNF grammar of the GS1
// Digital Link standard (1.4) and the key's check digit — which is what refuses a malformed one.
//
// Taking the link apart into key, qualifiers and parameters is done here, not by its `DigitalLink(uri)`
// constructor, for two reasons:
// - it cannot read the lenient forms labels carry. It requires a lower-case "http" (a QR code's
//   upper-case alphanumeric mode gives "HTTPS://ID.…"); it decodes no percent-encoding, while its
//   grammar knows one spelling per character (",", "!" … encoded, letters not) and labels encode
//   freely (`A%2FB`, `%41`, `%2f`); it splits the query on "&" only (the grammar allows ";"), keeps a
//   fragment as part of the last value, cuts a value at a second "=", and keeps only the last of a
//   repeated parameter or path qualifier, so two different lots or serials would go unseen;
// - it is slow: to find the primary key it runs a fresh grammar parser for each of 15 key rules
//   against each pair of path segments, 40–80 ms of CPU per link, against ~10 ms for the one grammar
//   check — and the public QR verification reads every link it is sent.
// The taking apart follows the constructor's own rule: path segments pair up from the end, and the
// last pair whose first half is a primary key's AI holds the key; what precedes it is a path prefix.
// Segments and parameters are percent-decoded here (broken encoding is refused), and re-encoded the
// one way the grammar spells them for the grammar check.
import { DigitalLink, Utils } from 'digital-link.js';
import {
  SCAN_AGAIN,
  mergeElement,
  refusal,
  type PackAi,
  type PackElements,
  type PackIdentifiers,
  type ReadScan,
  type ScanRefusal,
} from './scan-types';

const URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#[\s\S]*)?$/;

/** The AIs of the primary keys a GS1 Digital Link path can hold (the grammar's *-code rules). */
const PRIMARY_KEYS = new Set(['00', '01', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8013', '8017', '8018']);

/** The key qualifiers of a GTIN: consumer product variant, lot, serial. */
const GTIN_QUALIFIERS = new Set(['22', '10', '21']);

/** The characters of GS1 AI encodable character set 82 that the grammar only accepts percent-encoded. */
const GRAMMAR_ESCAPED = new Set([...'#/%&+,!()*\':;<=>?']);

/**
 * `value` percent-encoded as the GS1 Digital Link grammar spells it: letters, digits, "-", ".", "_" and
 * '"' as they are, the other characters of set 82 as %XX, anything else as encodeURIComponent does.
 */
export function encodeForGrammar(value: string): string {
  let out = '';
  for (const char of value) {
    if (GRAMMAR_ESCAPED.has(char)) out += `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
    else if (char === '"') out += char;
    else out += encodeURIComponent(char);
  }
  return out;
}

/** Percent-decoded, or null when the encoding is broken (a stray "%", bytes that are not UTF-8). */
function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

const brokenEncoding = (part: string): ScanRefusal =>
  refusal('INVALID_SCAN', `The link's percent-encoding is broken (in “${part.slice(0, 40)}”); ${SCAN_AGAIN}.`);

interface SplitLink {
  /** Scheme and host, lower-cased: "https://id.example.com". */
  stem: string;
  /** Path segments, percent-decoded, empty ones dropped. */
  segments: string[];
  /** Query parameters in order, percent-decoded, repeats kept. */
  parameters: Array<[key: string, value: string]>;
}

function splitLink(uri: string): SplitLink | ScanRefusal {
  const match = URI.exec(uri);
  if (!match) return refusal('INVALID_SCAN', `The link is not a well-formed web address; ${SCAN_AGAIN}.`);
  const [, schemeText, authority, path, query] = match;
  const scheme = schemeText.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    return refusal('INVALID_SCAN', `The code is a “${scheme}:” link, not a GS1 Digital Link (https://…/01/<GTIN>/21/<serial>); ${SCAN_AGAIN}.`);
  }
  if (authority === '') return refusal('INVALID_SCAN', `The link names no web site; ${SCAN_AGAIN}.`);
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    const segment = decode(raw);
    if (segment === null) return brokenEncoding(raw);
    segments.push(segment);
  }
  const parameters: Array<[string, string]> = [];
  for (const raw of (query ?? '').split(/[&;]/)) {
    if (raw === '') continue;
    const equals = raw.indexOf('=');
    const key = decode(equals < 0 ? raw : raw.slice(0, equals));
    const value = equals < 0 ? '' : decode(raw.slice(equals + 1));
    if (key === null || value === null) return brokenEncoding(raw);
    parameters.push([key, value]);
  }
  // Host names are case-insensitive; the grammar expects them in lower case.
  return { stem: `${scheme}://${authority.toLowerCase()}`, segments, parameters };
}

/** The link as the grammar spells it. */
function linkText({ stem, segments, parameters }: SplitLink): string {
  const query = parameters.map(([key, value]) => `${encodeForGrammar(key)}=${encodeForGrammar(value)}`).join('&');
  return `${stem}/${segments.map(encodeForGrammar).join('/')}${query ? `?${query}` : ''}`;
}

/** A compressed link (GS1 Digital Link compression), expanded by the library; the link itself otherwise. */
function expanded(link: SplitLink): SplitLink | ScanRefusal {
  const text = linkText(link);
  let decompressed: string;
  try {
    if (!Utils.isCompressedWebUri(text)) return link;
    decompressed = Utils.decompressWebUri(text);
  } catch {
    return link;
  }
  return splitLink(decompressed);
}

/**
 * The pack AIs of a GS1 Digital Link: `https://<any host>[/<prefix>…]/01/<GTIN>[/22/<variant>][/10/<lot>]/21/<serial>`
 * with `?17=<YYMMDD>`; also lot as `?10=`, the GTIN as 8, 12 or 13 digits, any percent-encoding, an
 * upper-case link, ";" between parameters, key qualifiers in another order, or the link compressed.
 * Other query parameters are left to the grammar, which `verify` applies once the identifiers passed
 * their own checks (so that a bad serial is told as such, not as a malformed link).
 */
export function readDigitalLink(uri: string): ReadScan | ScanRefusal {
  const split = splitLink(uri);
  if ('code' in split) return split;
  const link = expanded(split);
  if ('code' in link) return link;
  const { stem, segments, parameters } = link;

  let keyIndex = -1;
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    if (PRIMARY_KEYS.has(segments[i])) {
      keyIndex = i;
      break;
    }
  }
  if (keyIndex < 0) {
    return refusal('INVALID_SCAN', `The link carries no GS1 key in its path (a pack's link reads …/01/<GTIN>/21/<serial>); ${SCAN_AGAIN}.`);
  }
  const key = segments[keyIndex];
  if (key !== '01') {
    return refusal(
      'INVALID_SCAN',
      `The link identifies something other than a product (/${key}/ rather than /01/<GTIN>), so it is not a pack code; scan the 2D code on the pack.`,
    );
  }
  const prefix = segments.slice(0, keyIndex);
  const qualifiers: Array<[string, string]> = [];
  for (let i = keyIndex + 2; i < segments.length; i += 2) qualifiers.push([segments[i], segments[i + 1]]);
  const unknown = qualifiers.find(([qualifier]) => !GTIN_QUALIFIERS.has(qualifier));
  if (unknown) {
    return refusal(
      'INVALID_SCAN',
      `The link's path carries /${encodeForGrammar(unknown[0]).slice(0, 20)}/, which is not part of a pack's identity (…/01/<GTIN>/10/<lot>/21/<serial>); ${SCAN_AGAIN}.`,
    );
  }
  const repeated = qualifiers.find(([qualifier], index) => qualifiers.findIndex(([other]) => other === qualifier) !== index);
  if (repeated) {
    return refusal('INVALID_SCAN', `The link's path carries /${repeated[0]}/ twice, so it cannot name one pack; ${SCAN_AGAIN}.`);
  }

  const elements: PackElements = { '01': segments[keyIndex + 1] };
  for (const [qualifier, value] of qualifiers) {
    if (qualifier === '10' || qualifier === '21') elements[qualifier as PackAi] = value;
  }
  for (const [parameter, value] of parameters) {
    if (parameter === '01' || parameter === '21') {
      return refusal(
        'INVALID_SCAN',
        `The link carries its ${parameter === '01' ? 'GTIN' : 'serial number'} as a query parameter (?${parameter}=), where a GS1 Digital Link has it in the path (…/01/<GTIN>/21/<serial>); ${SCAN_AGAIN}.`,
      );
    }
    if (parameter === '10' || parameter === '17') {
      const contradiction = mergeElement(elements, parameter, value);
      if (contradiction) return contradiction;
    }
  }

  const lotInPath = qualifiers.some(([qualifier]) => qualifier === '10');
  return {
    elements,
    verify: (pack: PackIdentifiers) => {
      const canonical = DigitalLink({
        domain: [stem, ...prefix.map(encodeForGrammar)].join('/'),
        identifier: { '01': pack.gtin },
        keyQualifiers: Object.fromEntries(qualifiers.map(([qualifier, value]) => [qualifier, encodeForGrammar(value)])),
        attributes: Object.fromEntries(
          parameters
            .filter(([parameter]) => !(lotInPath && parameter === '10'))
            .map(([parameter, value]) => [encodeForGrammar(parameter), encodeForGrammar(value)]),
        ),
        sortKeyQualifiers: true,
      });
      return canonical.isValid() ? null : refusal('INVALID_SCAN', `The link is not a well-formed GS1 Digital Link; ${SCAN_AGAIN}.`);
    },
  };
}
