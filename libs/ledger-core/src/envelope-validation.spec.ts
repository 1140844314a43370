import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ASSETS_PER_EVENT, MAX_EVENT_BYTES, validateEnvelope, type EnvelopeProblem } from './envelope';

const HEAD = 'a'.repeat(64);

function validEvent(): Record<string, unknown> {
  return {
    type: 'custody.shipped',
    id: '01890a5d-ac96-774b-bcce-b302099a8057',
    actor: 'participant:wholesaler-1',
    kid: 'ed25519:00112233445566778899aabbccddeeff',
    at: '2025-03-01T12:30:00.000Z',
    assets: [
      { id: 'urn:epc:id:sgtin:0614141.107346.2017', prev: HEAD },
      { id: 'urn:epc:id:sscc:0614141.1234567890', prev: null },
    ],
    data: { v: 1, to: 'participant:pharmacy-9' },
  };
}

function problemsOf(input: unknown): EnvelopeProblem[] {
  const check = validateEnvelope(input);
  return check.ok ? [] : check.problems;
}

/** Asserts the input is refused with exactly this one (code, path). */
function refusedWith(input: unknown, code: string, path: string): void {
  const problems = problemsOf(input);
  assert.deepEqual(
    problems.map((p) => [p.code, p.path]),
    [[code, path]],
    `expected ${code} at "${path}", got ${JSON.stringify(problems)}`,
  );
  assert.ok(problems[0].message.length > 10, 'each problem carries a sentence');
}

function withField(key: string, value: unknown): Record<string, unknown> {
  return { ...validEvent(), [key]: value };
}

describe('validateEnvelope', () => {
  it('accepts a valid envelope and returns it', () => {
    const event = validEvent();
    const check = validateEnvelope(event);
    assert.equal(check.ok, true);
    if (check.ok) assert.equal(check.event, event);
  });

  it('accepts the edges of what is allowed', () => {
    const edges: Array<[string, unknown]> = [
      ['type', 'a.b'],
      ['type', 'epcis.sensor_reporting2.v2'],
      ['type', 'a.' + 'b'.repeat(62)],
      ['id', 'x'],
      ['id', 'A-z_0.9:' + 'x'.repeat(120)],
      ['actor', 'x'.repeat(128)],
      ['kid', 'k'],
      ['at', '2024-02-29T23:59:59Z'],
      ['at', '2000-02-29T00:00:00.999Z'],
      ['assets', []],
      ['assets', [{ prev: null, id: 'é€-no-spaces' }]],
      ['assets', Array.from({ length: MAX_ASSETS_PER_EVENT }, (_, i) => ({ id: `item-${i}`, prev: null }))],
      ['data', { v: 7, nested: { deep: [1, 'two', null, true] } }],
    ];
    for (const [key, value] of edges) assert.deepEqual(problemsOf(withField(key, value)), [], `${key} = ${JSON.stringify(value).slice(0, 60)}`);
  });

  it('NOT_AN_OBJECT for anything but a JSON object', () => {
    for (const bad of [null, undefined, 'event', 42, [], [validEvent()], new Date()]) refusedWith(bad, 'NOT_AN_OBJECT', '');
  });

  it('MISSING_FIELD for each required field', () => {
    for (const key of ['type', 'id', 'actor', 'kid', 'at', 'assets', 'data']) {
      const event = validEvent();
      delete event[key];
      refusedWith(event, 'MISSING_FIELD', key);
    }
  });

  it('UNKNOWN_FIELD for extra members, at the top and inside assets', () => {
    refusedWith(withField('hash', 'x'), 'UNKNOWN_FIELD', 'hash');
    refusedWith(withField('assets', [{ id: 'a', prev: null, qty: 1 }]), 'UNKNOWN_FIELD', 'assets[0].qty');
  });

  it('BAD_TYPE for anything but dotted lowercase words of at most 64 characters', () => {
    for (const bad of ['custody', 'Custody.shipped', 'custody.', '.custody', 'custody..shipped', 'custody.1shipped', 'custody-x.y', 'a.' + 'b'.repeat(63), '', 7, null]) {
      refusedWith(withField('type', bad), 'BAD_TYPE', 'type');
    }
  });

  it('BAD_ID for ids outside 1 to 128 characters of [A-Za-z0-9._:-]', () => {
    for (const bad of ['', 'x'.repeat(129), 'has space', 'a/b', 'é', 12, null]) refusedWith(withField('id', bad), 'BAD_ID', 'id');
  });

  it('BAD_ACTOR and BAD_KID for empty, over-long or non-string values', () => {
    for (const bad of ['', 'x'.repeat(129), 5, null, {}]) {
      refusedWith(withField('actor', bad), 'BAD_ACTOR', 'actor');
      refusedWith(withField('kid', bad), 'BAD_KID', 'kid');
    }
  });

  it('BAD_TIMESTAMP for anything but a real RFC 3339 UTC time', () => {
    const bad = [
      '2025-03-01T12:30:00',
      '2025-03-01T12:30:00+00:00',
      '2025-03-01T13:30:00+01:00',
      '2025-03-01 12:30:00Z',
      '2025-03-01t12:30:00z',
      '2025-03-01T12:30Z',
      '2025-03-01',
      '2025-03-01T12:30:00.1Z',
      '2025-03-01T12:30:00.123456Z',
      '2025-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2025-04-31T00:00:00Z',
      '2025-13-01T00:00:00Z',
      '2025-00-10T00:00:00Z',
      '2025-01-00T00:00:00Z',
      '2025-01-01T24:00:00Z',
      '2025-01-01T23:60:00Z',
      '2016-12-31T23:59:60Z',
      '0000-01-01T00:00:00Z',
      '+2025-01-01T00:00:00Z',
      1740832200000,
      null,
    ];
    for (const value of bad) refusedWith(withField('at', value), 'BAD_TIMESTAMP', 'at');
  });

  it('BAD_ASSETS for a non-array, too many items or a non-object item', () => {
    refusedWith(withField('assets', { id: 'a', prev: null }), 'BAD_ASSETS', 'assets');
    refusedWith(withField('assets', null), 'BAD_ASSETS', 'assets');
    const tooMany = Array.from({ length: MAX_ASSETS_PER_EVENT + 1 }, (_, i) => ({ id: `item-${i}`, prev: null }));
    refusedWith(withField('assets', tooMany), 'BAD_ASSETS', 'assets');
    refusedWith(withField('assets', [{ id: 'a', prev: null }, 'b']), 'BAD_ASSETS', 'assets[1]');
    refusedWith(withField('assets', [null]), 'BAD_ASSETS', 'assets[0]');
  });

  it('MISSING_FIELD inside an asset', () => {
    refusedWith(withField('assets', [{ id: 'a' }]), 'MISSING_FIELD', 'assets[0].prev');
    refusedWith(withField('assets', [{ prev: null }]), 'MISSING_FIELD', 'assets[0].id');
  });

  it('BAD_ASSET_ID for ids outside 1 to 200 characters or with whitespace', () => {
    for (const bad of ['', 'x'.repeat(201), 'a b', 'tab\there', 'nl\n', 'nbsp\u00a0', 'nul\u0000', 3]) {
      refusedWith(withField('assets', [{ id: bad, prev: null }]), 'BAD_ASSET_ID', 'assets[0].id');
    }
  });

  it('DUPLICATE_ASSET names the repeated entry and the first one', () => {
    const event = withField('assets', [
      { id: 'a', prev: null },
      { id: 'b', prev: null },
      { id: 'a', prev: HEAD },
    ]);
    refusedWith(event, 'DUPLICATE_ASSET', 'assets[2].id');
    assert.match(problemsOf(event)[0].message, /assets\[0\]/);
  });

  it('BAD_PREV for anything but null or 64 lowercase hex digits', () => {
    for (const bad of ['A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64), '', 0, false, {}]) {
      refusedWith(withField('assets', [{ id: 'x', prev: 'z' }].map((a) => ({ ...a, prev: bad }))), 'BAD_PREV', 'assets[0].prev');
    }
  });

  it('BAD_DATA for a non-object, MISSING_FIELD / BAD_DATA_VERSION for its version', () => {
    for (const bad of [null, [], 'data', 1]) refusedWith(withField('data', bad), 'BAD_DATA', 'data');
    refusedWith(withField('data', { to: 'x' }), 'MISSING_FIELD', 'data.v');
    for (const bad of [0, -1, 1.5, '1', null, Number.MAX_SAFE_INTEGER + 1]) {
      refusedWith(withField('data', { v: bad }), 'BAD_DATA_VERSION', 'data.v');
    }
  });

  it('TOO_LARGE when the canonical form exceeds MAX_EVENT_BYTES', () => {
    const base = JSON.stringify(validEvent()).length;
    refusedWith(withField('data', { v: 1, blob: 'x'.repeat(MAX_EVENT_BYTES) }), 'TOO_LARGE', '');
    // Exactly at the limit is fine (the canonical form of validEvent() has no spaces either).
    const fits = withField('data', { v: 1, to: 'participant:pharmacy-9', pad: '' });
    const padding = MAX_EVENT_BYTES - JSON.stringify(fits).length;
    assert.ok(padding > 0 && base < MAX_EVENT_BYTES);
    assert.deepEqual(problemsOf(withField('data', { v: 1, to: 'participant:pharmacy-9', pad: 'x'.repeat(padding) })), []);
    refusedWith(withField('data', { v: 1, to: 'participant:pharmacy-9', pad: 'x'.repeat(padding + 1) }), 'TOO_LARGE', '');
  });

  it('NOT_CANONICALIZABLE, with a path, for in-memory values JSON cannot carry', () => {
    refusedWith(withField('data', { v: 1, x: undefined }), 'NOT_CANONICALIZABLE', 'data.x');
    refusedWith(withField('data', { v: 1, list: [1, NaN] }), 'NOT_CANONICALIZABLE', 'data.list[1]');
  });

  it('reports every problem at once', () => {
    const event = { ...validEvent(), type: 'bad', at: 'yesterday', extra: 1, assets: [{ id: 'a', prev: 'nope' }] };
    delete (event as Record<string, unknown>).actor;
    assert.deepEqual(
      problemsOf(event).map((p) => `${p.code}@${p.path}`).sort(),
      ['BAD_PREV@assets[0].prev', 'BAD_TIMESTAMP@at', 'BAD_TYPE@type', 'MISSING_FIELD@actor', 'UNKNOWN_FIELD@extra'],
    );
  });
});
