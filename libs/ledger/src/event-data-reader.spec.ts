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

  it('refuses fields the type does not define, so a signature never covers ignored data', () => {
    const r = EventDataReader.of({ v: 1, extra: true });
    r.version([1]);
    assert.throws(() => r.done(), (e: unknown) => e instanceof DomainError && /extra/.test(e.message));
  });
});
