// RFC 8785 (JSON Canonicalization Scheme): the one byte form that hashes and signatures cover.
import canonicalize from 'canonicalize';
import { utf8 } from './encoding';
import { LedgerCoreError } from './errors';

export interface Unrepresentable {
  /** Where the value sits, e.g. `data.items[3].weight`; empty for the value itself. */
  path: string;
  reason: string;
}

/**
 * canonicalize() follows JSON.stringify and silently drops undefined / function members of
 * objects (and turns them into null inside arrays). For signed data that would mean the
 * signature covers something other than what the caller holds, so such values are refused.
 * Iterative, and each object is visited once, so deep nesting and cycles cannot hang it.
 */
export function findUnrepresentable(value: unknown): Unrepresentable | null {
  const seen = new Set<object>();
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { value: v, path } = top;
    switch (typeof v) {
      case 'undefined':
      case 'function':
      case 'symbol':
      case 'bigint':
        return { path, reason: `${path || 'the value'} is ${typeof v}, which JSON cannot represent` };
      case 'number':
        if (!Number.isFinite(v)) return { path, reason: `${path || 'the value'} is ${String(v)}, which JSON cannot represent` };
        break;
      case 'object':
        // Objects with toJSON (e.g. Date) are serialized through it by canonicalize.
        if (v === null || seen.has(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') break;
        seen.add(v);
        if (Array.isArray(v)) {
          for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${path}[${i}]` });
        } else {
          const keys = Object.keys(v);
          for (let i = keys.length - 1; i >= 0; i--) {
            stack.push({ value: (v as Record<string, unknown>)[keys[i]], path: path ? `${path}.${keys[i]}` : keys[i] });
          }
        }
        break;
      default:
        break;
    }
  }
  return null;
}

export function canonicalJson(value: unknown): string {
  const bad = findUnrepresentable(value);
  if (bad !== null) {
    throw new LedgerCoreError('NOT_CANONICALIZABLE', `Value cannot be written as canonical JSON: ${bad.reason}.`);
  }
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    // Cycles and lone UTF-16 surrogates end up here.
    const reason = err instanceof Error ? err.message : String(err);
    throw new LedgerCoreError('NOT_CANONICALIZABLE', `Value cannot be written as canonical JSON: ${reason}.`);
  }
  if (text === undefined) {
    throw new LedgerCoreError('NOT_CANONICALIZABLE', 'Value cannot be written as canonical JSON.');
  }
  return text;
}

export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}
