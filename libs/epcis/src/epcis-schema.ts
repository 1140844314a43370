/**
 * Validation of an EPCIS 2.0 JSON(-LD) document against GS1's official EPCIS 2.0 JSON Schema (draft-07), copied in
 * ./schema/EPCIS-JSON-Schema.json (source and licence in ./schema/SOURCE.md), with `ajv` + `ajv-formats`
 * (date-time, uri, ...). The schema is compiled once, on first use, and reused.
 *
 * Standard: GS1 EPCIS 2.0 (2022) §12 JSON/JSON-LD binding and its JSON Schema artefact.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One schema violation: `path` is the JSON Pointer (RFC 6901) of the offending value, `''` for the document. */
export interface EpcisSchemaError {
  path: string;
  message: string;
}

export type EpcisSchemaResult = { ok: true } | { ok: false; errors: EpcisSchemaError[] };

/** At most this many violations are reported for one document (the first ones ajv finds). */
export const MAX_EPCIS_SCHEMA_ERRORS = 20;

export const EPCIS_SCHEMA_PATH = join(__dirname, 'schema', 'EPCIS-JSON-Schema.json');

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(EPCIS_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    // strict: false — GS1's schema uses annotations ajv's strict mode does not know; the schema itself is trusted.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function describe(error: ErrorObject): EpcisSchemaError {
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? `fails ${error.keyword}`;
  if (error.keyword === 'additionalProperties') message += `: '${String(params.additionalProperty)}'`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message += `: ${params.allowedValues.slice(0, 10).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { path: error.instancePath, message };
}

/** The combinator keywords whose failure only echoes a more precise error found beneath them. */
const ECHO_KEYWORDS = new Set(['if', 'then', 'else', 'allOf', 'anyOf', 'oneOf']);

/**
 * Validates `doc` (an EPCISDocument or EPCISQueryDocument as parsed JSON) against the EPCIS 2.0 JSON Schema.
 * Returns `{ ok: true }`, or `{ ok: false, errors }` with up to MAX_EPCIS_SCHEMA_ERRORS `{ path, message }`
 * entries, most precise first (e.g. `{ path: '/epcisBody/eventList/0/eventTime', message: 'must match format
 * "date-time"' }`). Pure: stores nothing; the caller maps a refusal to its own error code.
 */
export function validateEpcisDocument(doc: unknown): EpcisSchemaResult {
  const validate = validator();
  if (validate(doc)) return { ok: true };
  const all = validate.errors ?? [];
  const precise = all.filter((e) => !ECHO_KEYWORDS.has(e.keyword));
  const chosen = (precise.length > 0 ? precise : all).map(describe);
  const unique = chosen.filter((e, i) => chosen.findIndex((x) => x.path === e.path && x.message === e.message) === i);
  const errors = unique.slice(0, MAX_EPCIS_SCHEMA_ERRORS);
  return { ok: false, errors: errors.length > 0 ? errors : [{ path: '', message: 'does not match the EPCIS 2.0 JSON Schema' }] };
}
