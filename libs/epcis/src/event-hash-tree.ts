/**
 * JSON → "simple tree" conversion of the EPCIS event hash (CBV 2.0 §8.9), a faithful port of `json_to_py.py` and
 * `json_xml_model_mismatch_correction.py` of github.com/RalphTro/epcis-event-hash-generator (MIT, commit 5d2f1c3).
 * A node is `[name, text, children]`, the reference's Python triple; a source/destination/bizTransaction list entry
 * becomes a `[typeNode, valueNode]` pair. Framework-free.
 */
import { EPCIS_VOCABULARY_TERMS } from './cbv-vocabulary';

export type HashNode = [string, string, HashItem[]];
/** `[typeNode, valueNode]`; `[valueNode]` when the entry has no type (see correctStructure). */
export type HashPair = [HashNode, ...HashNode[]];
export type HashItem = HashNode | HashPair;

export function isPair(item: HashItem): item is HashPair {
  return Array.isArray(item[0]);
}

/** Python's ordering of str / tuple / list values (code point order, lexicographic sequences). */
export function pyCompare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCompare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  // Python would raise TypeError here; order strings before sequences so that sorting stays total.
  return typeof a === 'string' ? -1 : 1;
}

export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
  }
  return x.length - y.length;
}

/** Python `str()` of a JSON scalar (`True`, `None`, shortest float repr with Python's exponent form). */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return pyNumber(value);
  return String(value);
}

/** Python `str(float)` (non-integral) or `str(int)` (integral) of a double. */
export function pyNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n)) return BigInt(n).toString();
  const [mantissa, exponent] = n.toExponential().split('e');
  const e = Number(exponent);
  if (e < -4) return `${mantissa}e-${String(-e).padStart(2, '0')}`;
  return String(n);
}

// ---- namespaces (the document's @context prefixes) --------------------------------------------------------------

/** `prefix` → `{iri}`, as `_collect_namespaces_from_jsonld_context` builds it. */
export function namespacesFromContext(context: unknown): Map<string, string> {
  const namespaces = new Map<string, string>();
  if (!Array.isArray(context)) return namespaces;
  for (const entry of context) {
    if (typeof entry === 'string') namespaces.set(entry, `{${entry}}`);
    else if (entry !== null && typeof entry === 'object') {
      for (const [key, value] of Object.entries(entry as Record<string, unknown>)) namespaces.set(key, `{${pyStr(value)}}`);
    }
  }
  return namespaces;
}

function namespaceReplace(text: string, namespaces: Map<string, string>, isValue: boolean): string {
  const colon = text.indexOf(':');
  if (colon < 0) return text;
  const iri = namespaces.get(text.slice(0, colon));
  if (iri === undefined) return text;
  return (isValue ? iri.replaceAll('{', '').replaceAll('}', '') : iri) + text.slice(colon + 1);
}

// ---- bare-string expansion (what JSON-LD expansion contributes in the reference) --------------------------------

const EXPANDED_PREFIXES = ['https://ref.gs1.org/cbv', 'https://gs1.org/voc'];
const CURIE_PREFIXES: Record<string, string> = { cbv: 'https://ref.gs1.org/cbv/', gs1: 'https://gs1.org/voc/' };

function collectExpandedValues(value: unknown, path: string, out: Set<string>): void {
  if (typeof value === 'string') {
    const vocabulary = EPCIS_VOCABULARY_TERMS.get(path);
    let expanded = value;
    if (vocabulary?.terms.has(value)) expanded = vocabulary.iriPrefix + value;
    else if (vocabulary) {
      const colon = value.indexOf(':');
      const prefix = colon > 0 ? CURIE_PREFIXES[value.slice(0, colon)] : undefined;
      if (prefix !== undefined) expanded = prefix + value.slice(colon + 1);
    }
    if (EXPANDED_PREFIXES.some((p) => expanded.startsWith(p))) out.add(expanded);
  } else if (Array.isArray(value)) {
    for (const item of value) collectExpandedValues(item, path, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      collectExpandedValues(child, path === '' ? key : `${path}/${key}`, out);
    }
  }
}

function replaceBareStrings(value: unknown, expanded: readonly string[]): unknown {
  if (typeof value === 'string') {
    const hits = expanded.filter((x) => x.endsWith('-' + value) || x.endsWith('/' + value));
    return hits.length === 1 ? hits[0] : value;
  }
  if (Array.isArray(value)) return value.map((item) => replaceBareStrings(item, expanded));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) out[key] = replaceBareStrings(child, expanded);
    return out;
  }
  return value;
}

/**
 * `_bare_string_pre_preocessing`: replaces bare CBV / GS1 vocabulary strings (`"shipping"`, `"Temperature"`) by
 * their web-vocabulary IRIs. The reference expands the whole document with a JSON-LD processor; this port expands
 * the EPCIS 2.0 context's vocabulary-typed properties from a built-in term table (see cbv-vocabulary.ts), over the
 * one event.
 */
export function expandBareStrings(event: Record<string, unknown>): Record<string, unknown> {
  const expanded = new Set<string>();
  collectExpandedValues(event, '', expanded);
  return replaceBareStrings(event, [...expanded]) as Record<string, unknown>;
}

// ---- JSON → tree ---------------------------------------------------------------------------------------------------

const ALWAYS_IGNORED = ['#text', 'rdfs:comment', 'comment'];
const UNSORTED_KEYS = ['bizTransaction', 'source', 'destination'];

/** `_json_to_py`. */
export function jsonToTree(json: unknown, namespaces: Map<string, string>, fieldsToIgnore: readonly string[] = []): HashNode {
  let node: HashNode = ['', '', []];
  if (Array.isArray(json)) {
    for (const child of json) node[2].push(jsonToTree(child, namespaces));
    if (!UNSORTED_KEYS.some((k) => json.includes(k))) node[2].sort(pyCompare);
    return node;
  }
  if (json === null || typeof json !== 'object') {
    return ['', typeof json === 'string' ? namespaceReplace(json, namespaces, true) : pyStr(json), []];
  }
  const obj = json as Record<string, unknown>;
  if ('type' in obj) node = [pyStr(obj.type), '', []];
  if ('#text' in obj) node = [node[0], pyStr(obj['#text']), node[2]];
  const ignored = [...ALWAYS_IGNORED, ...fieldsToIgnore];
  for (const [rawKey, value] of Object.entries(obj)) {
    if (ignored.includes(rawKey)) continue;
    if (rawKey.startsWith('@xmlns')) {
      namespaces.set(rawKey.slice(7), `{${pyStr(value)}}`);
      node = [namespaceReplace(node[0], namespaces, false), node[1], node[2]];
      continue;
    }
    const child = jsonToTree(value, namespaces);
    const key = namespaceReplace(rawKey, namespaces, false);
    if (Array.isArray(value)) {
      for (const element of child[2] as HashNode[]) node[2].push([key, element[1], element[2]]);
    } else {
      node[2].push([key, child[1], child[2]]);
    }
  }
  if (!UNSORTED_KEYS.some((k) => k in obj)) node[2].sort(pyCompare);
  return node;
}

// ---- XML/JSON model mismatch correction ----------------------------------------------------------------------------

const PAIR_LISTS = ['sourceList', 'destinationList', 'bizTransactionList'];

function correctNames(node: HashNode): HashNode {
  const [name, text, children] = node;
  if (name === 'inputEPC' || name === 'outputEPC') return ['epc', text, children];
  if (['inputQuantity', 'outputQuantity', 'childQuantity'].includes(name) || (name === 'quantity' && children.length > 0)) {
    return ['quantityElement', text, children];
  }
  return node;
}

/** `deep_structure_correction`: `xList: [a, b]` → `xList` with `x` children; `childEPCs` → `epc` children. */
export function correctStructure(node: HashNode): HashNode {
  const children: HashItem[] = node.length > 2 ? node[2] : [];
  const lists = new Map<string, HashNode[]>();
  for (const element of children.filter((e) => !isPair(e) && (e as HashNode)[0].endsWith('List')) as HashNode[]) {
    const entries = lists.get(element[0]) ?? [];
    entries.push([element[0].slice(0, -4), element[1], element[2]]);
    lists.set(element[0], entries);
    children.splice(children.indexOf(element), 1);
  }
  for (const [listName, entries] of lists) {
    if (PAIR_LISTS.includes(listName)) {
      // The reference takes `(e[2][0], e[2][1])` and raises IndexError (the event gets no hash) for an entry
      // without `type`, which EPCIS 2.0 allows; here such an entry keeps just its value node.
      const pairs = entries.map((e) => (e[2] as HashNode[]).slice(0, 2)).filter((pair) => pair.length > 0);
      children.push([listName, '', pairs as HashPair[]]);
    } else {
      children.push([listName, '', entries]);
    }
  }
  const childEpcs: HashNode[] = [];
  for (const element of children.filter((e) => !isPair(e) && (e as HashNode)[0] === 'childEPCs') as HashNode[]) {
    childEpcs.push(['epc', element[1], []]);
    children.splice(children.indexOf(element), 1);
  }
  if (childEpcs.length > 0) children.push(['childEPCs', '', childEpcs]);

  const corrected: HashItem[] = children.map((element) =>
    isPair(element) || PAIR_LISTS.includes(element[0]) ? element : correctStructure(element),
  );
  return correctNames([node[0], node[1], corrected]);
}
