import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDatabaseUnavailable } from './database-unavailable';

describe('isDatabaseUnavailable', () => {
  it('recognises an unreachable or restarting server, however the driver wraps it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    assert.ok(isDatabaseUnavailable(refused));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' })));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' })));
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    // TypeORM's QueryFailedError keeps the driver's error; Node's AggregateError lists one per address.
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('query failed'), { driverError: refused })));
    assert.ok(isDatabaseUnavailable(new AggregateError([refused, refused], '')));
    assert.ok(isDatabaseUnavailable(new Error('wrapped', { cause: refused })));
  });

  it('leaves real faults alone: a bad query, a constraint, a deadlock, anything else', () => {
    assert.equal(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' })), false);
    assert.equal(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' })), false);
    assert.equal(isDatabaseUnavailable(Object.assign(new Error('deadlock detected'), { code: '40P01' })), false);
    assert.equal(isDatabaseUnavailable(new Error('something else')), false);
    assert.equal(isDatabaseUnavailable('ECONNREFUSED'), false);
    assert.equal(isDatabaseUnavailable(null), false);
  });
});
