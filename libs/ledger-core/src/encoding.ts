// Byte <-> text encodings written without Buffer, so the same code runs in browsers.
import { LedgerCoreError } from './errors';

const HEX_DIGITS = '0123456789abcdef';
const BASE64_STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function reverseTable(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

const HEX_VALUE = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < 16; i++) {
    table[HEX_DIGITS.charCodeAt(i)] = i;
    table[HEX_DIGITS.toUpperCase().charCodeAt(i)] = i;
  }
  return table;
})();
const STD_VALUE = reverseTable(BASE64_STD);
const URL_VALUE = reverseTable(BASE64_URL);

const textEncoder = new TextEncoder();

export function toHex(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i++) out += HEX_DIGITS[b[i] >> 4] + HEX_DIGITS[b[i] & 15];
  return out;
}

/** Accepts either case, so hashes pasted by people decode; output of toHex is always lowercase. */
export function fromHex(s: string): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0) {
    throw new LedgerCoreError('BAD_HEX', 'Hex text must be a string with an even number of digits.');
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(s.charCodeAt(2 * i));
    const lo = hexValue(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      throw new LedgerCoreError('BAD_HEX', `Hex text has a non-hex character near position ${2 * i}.`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexValue(code: number): number {
  return code < 128 ? HEX_VALUE[code] : -1;
}

function encodeBase64(b: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + alphabet[n & 63];
  }
  const rest = b.length - i;
  if (rest === 1) {
    const n = b[i] << 16;
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (b[i] << 16) | (b[i + 1] << 8);
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + (pad ? '=' : '');
  }
  return out;
}

// Strict decoding: exactly one text per byte string (unused trailing bits must be zero), so a
// signature or hash cannot be re-spelled into a different-looking but equal value.
function decodeBase64(s: string, table: Int16Array, padded: boolean, name: string): Uint8Array {
  if (typeof s !== 'string') throw new LedgerCoreError('BAD_BASE64', `${name} text must be a string.`);
  let body = s;
  if (padded) {
    if (s.length % 4 !== 0) {
      throw new LedgerCoreError('BAD_BASE64', `${name} text length must be a multiple of 4 (with = padding).`);
    }
    if (s.endsWith('==')) body = s.slice(0, -2);
    else if (s.endsWith('=')) body = s.slice(0, -1);
  }
  if (body.length % 4 === 1) throw new LedgerCoreError('BAD_BASE64', `${name} text has an impossible length.`);
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const v = code < 128 ? table[code] : -1;
    if (v < 0) {
      throw new LedgerCoreError('BAD_BASE64', `${name} text has an invalid character at position ${i}.`);
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) {
    throw new LedgerCoreError('BAD_BASE64', `${name} text is not canonical (unused trailing bits are set).`);
  }
  return out;
}

/** base64url without padding (RFC 4648 §5), used for signatures on the wire. */
export function toBase64Url(b: Uint8Array): string {
  return encodeBase64(b, BASE64_URL, false);
}

export function fromBase64Url(s: string): Uint8Array {
  return decodeBase64(s, URL_VALUE, false, 'Base64url');
}

/** Standard base64 with padding (RFC 4648 §4), the format of the published test vectors. */
export function toBase64(b: Uint8Array): string {
  return encodeBase64(b, BASE64_STD, true);
}

export function fromBase64(s: string): Uint8Array {
  return decodeBase64(s, STD_VALUE, true, 'Base64');
}

export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
