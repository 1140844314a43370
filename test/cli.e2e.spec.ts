// The operator's CLI end to end: init creates the first regulator against the database and writes its
// private key only to the operator's file; keys are generated and participants registered through the API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { PharmaTraceClient, readKeyFile } from '@pharmatrace/sdk';
import { createTestEnvironment, TestEnvironment } from './support/test-environment';
import { startTestServer, TestServer } from './support/test-server';
import { runCli } from './support/run-cli';
import { uniqueGln } from './support/test-network';

describe('operator CLI', () => {
  let environment: TestEnvironment;
  let server: TestServer | undefined;
  let dir: string;

  before(async () => {
    environment = await createTestEnvironment();
    dir = environment.env.PHARMATRACE_DATA_DIR;
  });
  after(async () => {
    if (server) await server.close();
    else await environment.dispose();
  });

  it('init creates the first regulator and writes its key only to the operator file', async () => {
    const keyOut = join(dir, 'regulator.json');
    const args = ['init', '--id', 'agency', '--name', 'Medicines Agency', '--gln', uniqueGln(), '--licence', 'REG-1', '--licence-expires', '2032-01-01', '--key-out', keyOut];
    const r = await runCli(args, environment.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Regulator agency registered/);
    const key = readKeyFile(keyOut);
    assert.equal(key.participantId, 'agency');
    assert.equal(statSync(keyOut).mode & 0o777, 0o600);

    const again = await runCli([...args.slice(0, -1), join(dir, 'second.json')], environment.env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /GENESIS_EXISTS/);
  });

  it('keys generate and participant register go through the API with the regulator key', async () => {
    server = await startTestServer(environment);
    const pharmacyKey = join(dir, 'pharmacy.json');
    const gen = await runCli(['keys', 'generate', '--out', pharmacyKey, '--label', 'counter 1', '--kind', 'terminal'], environment.env);
    assert.equal(gen.code, 0, gen.stderr);
    const reg = await runCli(
      ['participant', 'register', '--server', server.url, '--key', join(dir, 'regulator.json'), '--id', 'pharmacy-cli', '--name', 'CLI Pharmacy',
        '--role', 'pharmacy', '--gln', uniqueGln(), '--licence', 'PH-9', '--licence-expires', '2030-06-30', '--participant-key', pharmacyKey],
      environment.env,
    );
    assert.equal(reg.code, 0, reg.stderr);
    const pharmacy = new PharmaTraceClient(server.url, readKeyFile(pharmacyKey));
    assert.equal((await pharmacy.me()).role, 'pharmacy');

    const wrongRole = await runCli(['participant', 'suspend', '--server', server.url, '--key', pharmacyKey, '--id', 'agency', '--reason', 'x'], environment.env);
    assert.equal(wrongRole.code, 1);
    assert.match(wrongRole.stderr, /FORBIDDEN_ROLE/);
  });

  it('refuses a bad invocation with usage and exit code 2', async () => {
    const r = await runCli(['participant', 'register', '--server', 'http://127.0.0.1:1'], environment.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--\w[\w-]* is required/);
    assert.match(r.stderr, /usage: pharmatrace/);
    // An unknown flag is bad usage too (exit 2, the command's usage), never a stack trace.
    const unknown = await runCli(['ship', '--server', 'http://127.0.0.1:1', '--colour', 'red'], environment.env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--colour'/);
    assert.match(unknown.stderr, /^  ship --server URL/m);
    assert.doesNotMatch(unknown.stderr, /\n\s+at /);
  });

  it('answers --help on every command with its usage and exit code 0', async () => {
    // A sample across the command families (each CLI start costs seconds until the build step of issue 11).
    const invocations = [['--help'], ['item', '--help'], ['readings', 'record', '--help'], ['participant', 'register', '-h'], ['alert', 'list', '--help']];
    const results = await Promise.all(invocations.map((args) => runCli(args, environment.env)));
    for (const [i, r] of results.entries()) {
      assert.equal(r.code, 0, `${invocations[i].join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /usage/i, invocations[i].join(' '));
    }
  });
});
