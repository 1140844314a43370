import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalBytes, canonicalJson } from './canonical';
import { LedgerCoreError } from './errors';
import { toHex } from './encoding';

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof LedgerCoreError && err.code === code);
}

describe('canonicalJson (RFC 8785)', () => {
  it('orders keys by UTF-16 code units, recursively', () => {
    // RFC 8785 §3.2.3 sorting example: keys ordered by UTF-16 code units, not by code point.
    const value = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    assert.equal(
      canonicalJson(value),
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    assert.equal(canonicalJson({ b: { d: 1, c: [3, { z: 0, a: 1 }] }, a: null }), '{"a":null,"b":{"c":[3,{"a":1,"z":0}],"d":1}}');
  });

  it('formats numbers like ECMAScript (RFC 8785 §3.2.2.3)', () => {
    const cases: Array<[number, string]> = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1.5, '-1.5'],
      [1e21, '1e+21'],
      [1e20, '100000000000000000000'],
      [0.000001, '0.000001'],
      [1e-7, '1e-7'],
      [333333333.33333329, '333333333.3333333'],
      [9007199254740992, '9007199254740992'],
      [4.35, '4.35'],
      [0.1 + 0.2, '0.30000000000000004'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [n, text] of cases) assert.equal(canonicalJson(n), text, `number ${n}`);
    // RFC 8785 §3.2.2 example.
    assert.equal(
      canonicalJson({ numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001] }),
      '{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}',
    );
  });

  it('escapes only what JSON requires and keeps other Unicode as is', () => {
    assert.equal(canonicalJson('\u0000\u0008\t\n\u000c\r\u001f"\\/'), '"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/"');
    assert.equal(canonicalJson('€ 😀 \u2028 é'), '"€ 😀 \u2028 é"');
    // RFC 8785 §3.2.2 string example.
    assert.equal(canonicalJson({ string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\\"\/' }), '{"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('writes literals and nested containers compactly', () => {
    assert.equal(canonicalJson({ literals: [null, true, false], empty: {}, list: [] }), '{"empty":{},"list":[],"literals":[null,true,false]}');
  });

  it('produces UTF-8 bytes', () => {
    assert.equal(toHex(canonicalBytes({ 'é': 1 })), toHex(new TextEncoder().encode('{"é":1}')));
  });

  it('refuses values JSON cannot represent with NOT_CANONICALIZABLE', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: unknown[] = [
      undefined,
      () => 1,
      Symbol('s'),
      NaN,
      Infinity,
      -Infinity,
      10n,
      { a: undefined },
      { a: { b: [1, () => 2] } },
      [1, undefined],
      { n: NaN },
      cyclic,
      '\ud800',
      { '\udc00': 1 },
    ];
    for (const value of bad) throwsCode(() => canonicalJson(value), 'NOT_CANONICALIZABLE');
  });

  it('names where the unrepresentable value sits', () => {
    assert.throws(() => canonicalJson({ data: { items: [1, undefined] } }), /data\.items\[1\] is undefined/);
  });

  it('accepts shared (non-cyclic) references', () => {
    const shared = { x: 1 };
    assert.equal(canonicalJson({ a: shared, b: shared }), '{"a":{"x":1},"b":{"x":1}}');
  });
});
