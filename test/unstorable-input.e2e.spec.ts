// Property tests for the kinds of input PostgreSQL cannot hold: text with U+0000 or an unpaired surrogate
// in ANY GraphQL string argument (enumerated from the committed schema, apps/api/schema.graphql) or
// anywhere in a signed event, and dates outside years 0001–9999 or not on the calendar. Each is refused
// with a stable INVALID_… code and a sentence, stores nothing, and is never INTERNAL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLObjectType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { PharmaTraceClient, registerBatch, registerParticipant, keySpecOf, generateKeyFile } from '@pharmatrace/sdk';
import { startTestServer, TestServer } from './support/test-server';
import { createTestNetwork, LICENCE, refusal, uniqueGln } from './support/test-network';
import { newGtin, productSpec } from './support/custody-fixture';
import { registerProduct } from '@pharmatrace/sdk';

const schema = buildSchema(readFileSync(join(__dirname, '../apps/api/schema.graphql'), 'utf8'));

/** Text that PostgreSQL cannot store unchanged: a NUL or a lone surrogate somewhere in otherwise ordinary text. */
const unstorableText = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom('\u0000', '\uD800', '\uDFFF', 'a\uDBFFb', '\u0000\u0000'), fc.string({ maxLength: 12 }))
  .map(([a, bad, b]) => `${a}${bad}${b}`);

/** Dates PostgreSQL refuses or that name no day: year 0, negative and six-digit years, month 13, Feb 30. */
const impossibleDate = fc.constantFrom('0000-01-01', '-0001-01-01', '+010000-01-01', '10000-01-01', '2026-13-01', '2026-02-30', '2026-00-10', '2026-1-01', '275760-09-13');

interface Call {
  field: string;
  operation: 'query' | 'mutation';
  argPath: string;
  document: string;
  variables: (bad: string) => Record<string, unknown>;
}

/** A value of the argument's type with every string `fill`, and the string at `target` (a path) `bad`. */
function valueOf(type: GraphQLInputType, path: string, target: string, bad: string, depth = 0): unknown {
  if (isNonNullType(type)) return valueOf(type.ofType, path, target, bad, depth);
  if (isListType(type)) return [valueOf(type.ofType, `${path}[]`, target, bad, depth)];
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    if (depth > 4) return {};
    return Object.fromEntries(Object.values(named.getFields()).map((f) => [f.name, valueOf(f.type, `${path}.${f.name}`, target, bad, depth + 1)]));
  }
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isScalarType(named)) {
    switch (named.name) {
      case 'String':
      case 'ID':
        return path === target ? bad : 'x';
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return true;
      case 'JSON':
        return path === target ? { type: bad, id: 'x', data: { name: bad } } : {};
    }
  }
  return null;
}

/** Every path inside an argument where a string (or JSON) value goes. */
function stringPaths(type: GraphQLInputType, path: string, depth = 0): string[] {
  if (isNonNullType(type)) return stringPaths(type.ofType, path, depth);
  if (isListType(type)) return stringPaths(type.ofType, `${path}[]`, depth);
  const named = getNamedType(type);
  if (isInputObjectType(named)) return depth > 4 ? [] : Object.values(named.getFields()).flatMap((f) => stringPaths(f.type, `${path}.${f.name}`, depth + 1));
  if (isScalarType(named) && ['String', 'ID', 'JSON'].includes(named.name)) return [path];
  return [];
}

function callsOf(root: GraphQLObjectType | null | undefined, operation: 'query' | 'mutation'): Call[] {
  if (!root) return [];
  return Object.values(root.getFields()).flatMap((field: GraphQLField<unknown, unknown>) =>
    field.args.flatMap((arg: GraphQLArgument) =>
      stringPaths(arg.type, arg.name).map((argPath) => {
        const declared = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
        const passed = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
        const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
        return {
          field: field.name,
          operation,
          argPath,
          document: `${operation}(${declared}) { ${field.name}(${passed})${selection} }`,
          variables: (bad: string) => Object.fromEntries(field.args.map((a) => [a.name, valueOf(a.type, a.name, argPath, bad)])),
        };
      }),
    ),
  );
}

const CALLS = [...callsOf(schema.getQueryType(), 'query'), ...callsOf(schema.getMutationType(), 'mutation')];

describe('kinds of input PostgreSQL cannot hold', () => {
  let server: TestServer;
  const tokens: Array<string | null> = [];
  let manufacturer: PharmaTraceClient;
  let regulator: PharmaTraceClient;

  before(async () => {
    server = await startTestServer(undefined, { RATE_LIMIT_PUBLIC_PER_CLIENT: '100000', RATE_LIMIT_MUTATIONS_PER_PARTICIPANT: '100000' });
    const network = await createTestNetwork(server);
    regulator = network.regulator;
    manufacturer = await network.join('manufacturer');
    const others = [await network.join('supplier'), await network.join('wholesaler'), await network.join('pharmacy'), await network.join('prescriber')];
    for (const c of [regulator, manufacturer, ...others]) tokens.push((await c.signIn()).token);
    tokens.push(null);
  });
  after(() => server.close());

  async function post(token: string | null, document: string, variables: Record<string, unknown>) {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: document, variables }),
    });
    const body = (await res.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
    return body.errors?.[0] ?? null;
  }

  it(`every string argument of the API contract (${CALLS.length} of them) refuses unstorable text with INVALID_CHARACTER, storing nothing`, async () => {
    assert.ok(CALLS.length >= 40, `expected the contract to have many string arguments, found ${CALLS.length}`);
    const count = await server.eventCount();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CALLS), unstorableText, async (call, bad) => {
        // Whoever may call it: a role refused (or not signed in) answers before arguments are read.
        let answer = null;
        for (const token of tokens) {
          answer = await post(token, call.document, call.variables(bad));
          if (!['FORBIDDEN_ROLE', 'UNAUTHENTICATED'].includes(answer?.extensions?.code ?? '')) break;
        }
        assert.equal(answer?.extensions?.code, 'INVALID_CHARACTER', `${call.operation} ${call.field}(${call.argPath}) with ${JSON.stringify(bad)}: ${JSON.stringify(answer)}`);
        assert.ok((answer?.message.length ?? 0) > 20);
      }),
      { numRuns: Math.max(200, CALLS.length * 3) },
    );
    // and each argument at least once, whatever the random draw
    for (const call of CALLS) {
      let answer = null;
      for (const token of tokens) {
        answer = await post(token, call.document, call.variables('a\u0000b'));
        if (!['FORBIDDEN_ROLE', 'UNAUTHENTICATED'].includes(answer?.extensions?.code ?? '')) break;
      }
      assert.equal(answer?.extensions?.code, 'INVALID_CHARACTER', `${call.field}(${call.argPath})`);
    }
    assert.equal(await server.eventCount(), count);
  });

  it('any signed event with unstorable text anywhere (envelope, data, member names) is INVALID_CHARACTER and stores nothing', async () => {
    const count = await server.eventCount();
    // Anywhere: the envelope's own fields, an asset id, a data value, a member name.
    const where = fc.constantFrom('type', 'id', 'actor', 'kid', 'asset', 'value', 'key');
    // A member named __proto__ is refused before any text is looked at (BAD_REQUEST, prototype
    // poisoning; test/http-input.e2e.spec.ts), so the values here leave that name out.
    const jsonValues = fc.jsonValue({ maxDepth: 3 }).filter((v) => !/"__proto__":/.test(JSON.stringify(v)));
    await fc.assert(
      fc.asyncProperty(where, jsonValues, unstorableText, async (place, json, bad) => {
        // The SDK would refuse to sign some of this text (RFC 8785 has no form for a lone surrogate), so the
        // event goes as a client could forge it: the server must refuse it before anything else.
        const event: Record<string, unknown> = {
          type: place === 'type' ? bad : 'catalog.product_registered',
          id: place === 'id' ? bad : `e-${Math.random()}`,
          actor: place === 'actor' ? bad : manufacturer.participantId,
          kid: place === 'kid' ? bad : 'ed25519:x',
          at: new Date().toISOString(),
          assets: [{ id: place === 'asset' ? `product:${bad}` : `product:${newGtin()}`, prev: null }],
          data: place === 'key' ? { v: 1, [bad]: json } : { v: 1, product: { name: place === 'value' ? bad : 'x', other: json } },
        };
        const r = await refusal(() => manufacturer.query('mutation($i: SignedEventInput!) { submitEvent(input: $i) { seq } }', { i: { event, sig: 'A'.repeat(86) } }));
        assert.equal(r.code, 'INVALID_CHARACTER', `${place}: ${r.message}`);
        assert.match(r.message, /U\+0000|surrogate/);
      }),
      { numRuns: 80 },
    );
    // the named places: an item id, a participant id, a key id, a name, a material (ingredient)
    const gtin = newGtin();
    for (const product of [
      { ...productSpec(gtin), name: 'Insulin\u0000' },
      { ...productSpec(gtin), activeIngredient: 'glargine\u0000' },
    ]) {
      const r = await refusal(() => registerProduct(manufacturer, product));
      assert.equal(r.code, 'INVALID_CHARACTER', r.message);
    }
    const key = generateKeyFile('x', 'operator', 'pharmacy-x');
    const named = await refusal(() => registerParticipant(regulator, { id: 'pharmacy-x', legalName: 'Central\u0000Pharmacy', role: 'pharmacy', gln: uniqueGln(), licence: LICENCE, keys: [keySpecOf(key)] }));
    assert.equal(named.code, 'INVALID_CHARACTER');
    assert.equal(await server.eventCount(), count);
  });

  it('dates off the calendar or outside years 0001–9999 in event data are INVALID_EVENT_DATA, never INTERNAL, and store nothing', async () => {
    const gtin = newGtin();
    await registerProduct(manufacturer, productSpec(gtin));
    const count = await server.eventCount();
    await fc.assert(
      fc.asyncProperty(impossibleDate, fc.boolean(), async (date, which) => {
        const dates = which ? { manufacturedOn: date, expiresOn: '2029-01-31' } : { manufacturedOn: '2026-01-10', expiresOn: date };
        const r = await refusal(() => registerBatch(manufacturer, { gtin, lot: `L${Math.random().toString(36).slice(2, 8)}`, quantity: 10, ...dates }));
        assert.equal(r.code, 'INVALID_EVENT_DATA', `${date}: ${r.code} ${r.message}`);
      }),
      { numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(impossibleDate, async (date) => {
        const key = generateKeyFile('x', 'operator', `p-${Math.random().toString(36).slice(2, 8)}`);
        const r = await refusal(() =>
          registerParticipant(regulator, { id: key.participantId!, legalName: 'X', role: 'pharmacy', gln: uniqueGln(), licence: { number: 'L-1', expiresOn: date }, keys: [keySpecOf(key)] }),
        );
        assert.equal(r.code, 'INVALID_EVENT_DATA', `${date}: ${r.code} ${r.message}`);
      }),
      { numRuns: 15 },
    );
    assert.equal(await server.eventCount(), count);
  });

  it('an event time off the calendar or outside years 0001–9999 is INVALID_ENVELOPE', async () => {
    for (const at of ['0000-01-01T00:00:00Z', '+010000-01-01T00:00:00.000Z', '2026-02-30T00:00:00Z', '-000001-01-01T00:00:00.000Z']) {
      const signed = manufacturer.sign({ type: 'catalog.product_registered', assets: [{ id: `product:${newGtin()}`, prev: null }], data: { v: 1 } as never });
      const event = { ...(signed.event as unknown as Record<string, unknown>), at };
      const r = await refusal(() => manufacturer.query('mutation($i: SignedEventInput!) { submitEvent(input: $i) { seq } }', { i: { event, sig: signed.sig } }));
      assert.equal(r.code, 'INVALID_ENVELOPE', `${at}: ${r.message}`);
    }
  });

  it('after: filters with impossible times are INVALID_TIMESTAMP', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(impossibleDate.map((d) => `${d}T00:00:00Z`), fc.constantFrom('yesterday', '2026-11-29 16:00:00', '1e400', '', '2026-11-29T16:00:00+01:00')),
        async (after) => {
          const r = await refusal(() => manufacturer.query('query($a: String) { temperatureHistory(subject: "sgtin:09506000134352.A1", after: $a) { readingCount } }', { a: after }));
          assert.equal(r.code, 'INVALID_TIMESTAMP', `${after}: ${r.message}`);
        },
      ),
      { numRuns: 20 },
    );
  });
});
