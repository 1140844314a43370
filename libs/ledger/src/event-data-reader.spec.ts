import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@pharmatrace/errors';
import { EventDataReader } from './event-data-reader';

const refusedAt = (path: string) => (e: unknown) => e instanceof DomainError && e.code === 'INVALID_EVENT_DATA' && e.details?.path === path;

describe('EventDataReader', () => {
  it('reads a well-formed payload', () => {
    const r = EventDataReader.of({ v: 1, name: 'Helix', on: '2030-02-28', kind: 'a', list: [{ x: 'y' }] });
    assert.equal(r.version([1]), 1);
    assert.equal(r.string('name'), 'Helix');
    assert.equal(r.date('on'), '2030-02-28');
    assert.equal(r.oneOf('kind', ['a', 'b'] as const), 'a');
    const [item] = r.array('list', { min: 1 });
    assert.equal(item.string('x'), 'y');
    item.done();
    r.done();
  });

  it('refuses each kind of bad field with its path', () => {
    assert.throws(() => EventDataReader.of({ v: 2 }).version([1]), refusedAt('data.v'));
    assert.throws(() => EventDataReader.of({ name: 3 }).string('name'), refusedAt('data.name'));
    assert.throws(() => EventDataReader.of({ name: '' }).string('name'), refusedAt('data.name'));
    assert.throws(() => EventDataReader.of({ on: '2030-02-30' }).date('on'), refusedAt('data.on'));
    assert.throws(() => EventDataReader.of({ kind: 'c' }).oneOf('kind', ['a', 'b'] as const), refusedAt('data.kind'));
    assert.throws(() => EventDataReader.of({ list: [] }).array('list', { min: 1 }), refusedAt('data.list'));
    assert.throws(() => EventDataReader.of({ o: { deep: 1 } }).object('o').string('deep'), refusedAt('data.o.deep'));
    assert.throws(() => EventDataReader.of([1]), refusedAt('data'));
    assert.throws(() => EventDataReader.of({ flag: 'true' }).boolean('flag'), refusedAt('data.flag'));
    assert.equal(EventDataReader.of({ flag: false }).boolean('flag'), false);
  });

  it('text: refuses C0, DEL and C1 control characters and bidi embeddings, overrides and isolates, naming the field and the character', () => {
    const refusedFor = (path: string, character: string, name: RegExp) => (e: unknown) =>
      e instanceof DomainError && e.code === 'INVALID_EVENT_DATA' && e.details?.path === path && e.details?.character === character && name.test(e.message) && e.message.includes(character);
    const cases: Array<[string, string, RegExp]> = [
      ['\u001b[2Jcleared', 'U+001B', /ESC/],
      ['ring \u0007', 'U+0007', /BEL/],
      ['back\bspace', 'U+0008', /BACKSPACE/],
      ['line\r\nbreak', 'U+000D', /CARRIAGE RETURN/],
      ['\u0001', 'U+0001', /C0 control/],
      ['del\u007f', 'U+007F', /DEL/],
      ['csi\u009b31m', 'U+009B', /CSI/],
      ['c1\u0090', 'U+0090', /C1 control/],
      ...(['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'].map((c): [string, string, RegExp] => [
        `invoice${c}fdp.exe`,
        `U+${c.charCodeAt(0).toString(16).toUpperCase()}`,
        /DIRECTIONAL|EMBEDDING|OVERRIDE|ISOLATE/,
      ])),
    ];
    for (const [text, character, name] of cases) {
      assert.throws(() => EventDataReader.of({ why: text }).text('why', { max: 100 }), refusedFor('data.why', character, name), JSON.stringify(text));
      assert.throws(() => EventDataReader.of({ why: text }).text('why', { max: 100, multiline: true }), refusedFor('data.why', character, name), JSON.stringify(text));
    }
    // Line feeds and tabs only where the field is multi-line; the message says what is allowed.
    assert.equal(EventDataReader.of({ why: 'Step 1:\tstop\nStep 2:\treturn' }).text('why', { max: 100, multiline: true }), 'Step 1:\tstop\nStep 2:\treturn');
    assert.throws(() => EventDataReader.of({ why: 'two\nlines' }).text('why', { max: 100 }), (e: unknown) => e instanceof DomainError && /U\+000A \(LINE FEED\).*one line/.test(e.message));
    assert.throws(() => EventDataReader.of({ why: 'tab\there' }).text('why', { max: 100 }), refusedFor('data.why', 'U+0009', /TAB/));
    assert.throws(() => EventDataReader.of({ o: { why: 'x\u001b' } }).object('o').text('why', { max: 100 }), refusedFor('data.o.why', 'U+001B', /character 2/));
    // Everything else a person writes is text: accents, other scripts, emoji, a right-to-left mark is not an override.
    for (const ok of ['Rückruf: Charge prüfen', 'استرجاع الدفعة', '回收批次 2026', 'Return ✔ 🧪', 'a\u200fb', '2–8 °C']) {
      assert.equal(EventDataReader.of({ why: ok }).text('why', { max: 100 }), ok);
    }
    // The bounds of string() still hold.
    assert.throws(() => EventDataReader.of({ why: 'x'.repeat(11) }).text('why', { max: 10 }), refusedAt('data.why'));
    assert.throws(() => EventDataReader.of({ why: '' }).text('why', { max: 10 }), refusedAt('data.why'));
    assert.throws(() => EventDataReader.of({ why: 7 }).text('why', { max: 10 }), refusedAt('data.why'));
  });

  it('refuses fields the type does not define, so a signature never covers ignored data', () => {
    const r = EventDataReader.of({ v: 1, extra: true });
    r.version([1]);
    assert.throws(() => r.done(), (e: unknown) => e instanceof DomainError && /extra/.test(e.message));
  });
});
