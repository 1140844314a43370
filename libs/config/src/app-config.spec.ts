import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, databaseMode, loadConfig, queueMode } from './app-config';

describe('configuration', () => {
  it('defaults to the embedded runtime with no variables', () => {
    const c = loadConfig({}, '/srv/pt');
    assert.equal(databaseMode(c), 'embedded');
    assert.equal(queueMode(c), 'postgres');
    assert.equal(c.dataDir, '/srv/pt/.data');
    assert.equal(c.ledgerKeyPath, '/srv/pt/.data/ledger-key.json');
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.seedDemo, true);
  });

  it('switches to real services when DATABASE_URL and REDIS_URL are set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://root@127.0.0.1:5432/test', REDIS_URL: 'redis://127.0.0.1:6379' });
    assert.equal(databaseMode(c), 'external');
    assert.equal(queueMode(c), 'redis');
    assert.equal(c.seedDemo, false);
  });

  const bad: Array<[string, Record<string, string>]> = [
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x/y' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['REDIS_URL', { REDIS_URL: 'http://127.0.0.1' }],
    ['CLOCK_SKEW_SECONDS', { CLOCK_SKEW_SECONDS: '0' }],
    ['SEED_DEMO', { SEED_DEMO: 'maybe' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'chatty' }],
    ['QUEUE_PREFIX', { QUEUE_PREFIX: 'Bad Prefix' }],
  ];
  for (const [variable, env] of bad) {
    it(`refuses a bad ${variable} (${Object.values(env)[0]}) naming the variable`, () => {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.includes(variable),
      );
    });
  }
});
