import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDomainError } from '@pharmatrace/errors';
import { nonPublicAddressClass } from './private-addresses';
import { assertPublicHost, HostResolver, MAX_WEBHOOK_URL_LENGTH, parseWebhookUrl, validateWebhookUrl } from './webhook-url';

const PUBLIC = { allowPrivateNetworks: false };
const resolverOf = (answers: Record<string, string[]>): HostResolver => async (host) => {
  const a = answers[host];
  if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return a;
};

async function refused(raw: string, policy: Parameters<typeof validateWebhookUrl>[1] = PUBLIC): Promise<string> {
  try {
    await validateWebhookUrl(raw, policy);
  } catch (e) {
    assert.ok(isDomainError(e), `expected a DomainError, got ${String(e)}`);
    assert.equal(e.code, 'WEBHOOK_URL_INVALID');
    return e.message;
  }
  assert.fail(`${raw} was accepted`);
}

describe('webhook URL validation', () => {
  it('accepts an absolute https URL on a public host and stores it normalised', async () => {
    const url = await validateWebhookUrl('HTTPS://ERP.Example.com:8443/hooks/recalls?tenant=7', { ...PUBLIC, resolve: resolverOf({ 'erp.example.com': ['93.184.216.34'] }) });
    assert.equal(url, 'https://erp.example.com:8443/hooks/recalls?tenant=7');
  });

  it('refuses a user name or password in the URL', async () => {
    assert.match(await refused('https://user:secret@erp.example.com/hook'), /user name and password/);
    assert.match(await refused('https://user@erp.example.com/hook', { allowPrivateNetworks: true }), /user name and password/);
  });

  it('refuses other schemes (ftp:, file:, javascript:) and relative or empty URLs', async () => {
    assert.match(await refused('ftp://files.example.com/hook'), /https:\/\/.*not ftp:/);
    assert.match(await refused('file:///etc/passwd', { allowPrivateNetworks: true }), /not file:/);
    assert.match(await refused('javascript:alert(1)', { allowPrivateNetworks: true }), /not javascript:/);
    assert.match(await refused('/relative/hook'), /not an absolute URL/);
    assert.match(await refused('   '), /Give the webhook URL/);
  });

  it('refuses a URL longer than 2,048 characters, and a #fragment', async () => {
    const long = `https://erp.example.com/${'a'.repeat(MAX_WEBHOOK_URL_LENGTH)}`;
    assert.match(await refused(long, { allowPrivateNetworks: true }), /at most 2048/);
    assert.match(await refused('https://erp.example.com/hook#x', { allowPrivateNetworks: true }), /fragment/);
  });

  it('refuses loopback and private addresses when private networks are not allowed, in every spelling', async () => {
    for (const raw of [
      'http://127.0.0.1/hook',
      'http://2130706433/hook', // decimal 127.0.0.1
      'http://0x7f000001/hook', // hexadecimal
      'http://0177.0.0.1/hook', // octal
      'http://127.1/hook', // short form
      'http://[::1]/hook', // IPv6 loopback
      'http://[0:0:0:0:0:0:0:1]:8080/hook',
      'http://[::ffff:127.0.0.1]/hook', // IPv4-mapped
      'http://[::ffff:10.1.2.3]/hook',
      'http://[::ffff:0:7f00:1]/hook', // IPv4-translated
      'http://10.0.0.5/hook',
      'http://172.20.1.1/hook',
      'http://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data', // cloud metadata
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://[fd12:3456::1]/hook',
      'http://[fe80::1]/hook',
      'http://localhost:3000/hook',
      'http://api.localhost/hook',
    ]) {
      assert.match(await refused(raw), /not reachable from the public internet/, raw);
    }
  });

  it('refuses a host name that resolves to a private address, or does not resolve', async () => {
    const resolve = resolverOf({ 'intranet.example.com': ['93.184.216.34', '10.0.0.7'] });
    assert.match(await refused('https://intranet.example.com/hook', { ...PUBLIC, resolve }), /intranet\.example\.com resolves to 10\.0\.0\.7, a private address/);
    assert.match(await refused('https://nowhere.example.com/hook', { ...PUBLIC, resolve }), /does not resolve \(ENOTFOUND\)/);
  });

  it('a resolver that never answers is bounded by the timeout: refused, not waited on', async () => {
    const hanging: HostResolver = () => new Promise<string[]>(() => undefined);
    const started = Date.now();
    // AbortSignal.timeout's timer does not keep the event loop alive (a server's sockets do): this one does.
    const alive = setTimeout(() => undefined, 10_000);
    assert.match(await refused('https://slow-dns.example.com/hook', { ...PUBLIC, resolve: hanging, timeoutMs: 100 }), /did not resolve in time/);
    clearTimeout(alive);
    assert.ok(Date.now() - started < 5000, 'refused at the deadline, not after the resolver gave up');
    // The deliverer's form: the attempt's own deadline signal, already spent by an earlier step.
    await assert.rejects(assertPublicHost(new URL('https://slow-dns.example.com/'), hanging, AbortSignal.abort()), /did not resolve in time/);
  });

  it('allows loopback and private targets when private networks are allowed (the embedded default), without resolving', async () => {
    const resolve: HostResolver = async () => assert.fail('must not resolve');
    assert.equal(await validateWebhookUrl('http://127.0.0.1:4000/hook', { allowPrivateNetworks: true, resolve }), 'http://127.0.0.1:4000/hook');
    assert.equal(parseWebhookUrl('http://2130706433/hook', true).hostname, '127.0.0.1');
  });
});

describe('non-public addresses', () => {
  it('classifies IPv4 special-purpose ranges and leaves public addresses alone', () => {
    assert.equal(nonPublicAddressClass('127.255.0.1'), 'loopback');
    assert.equal(nonPublicAddressClass('172.31.255.255'), 'private');
    assert.equal(nonPublicAddressClass('172.32.0.1'), null);
    assert.equal(nonPublicAddressClass('198.19.1.1'), 'benchmarking');
    assert.equal(nonPublicAddressClass('224.0.0.1'), 'multicast');
    assert.equal(nonPublicAddressClass('255.255.255.255'), 'reserved');
    assert.equal(nonPublicAddressClass('8.8.8.8'), null);
    assert.equal(nonPublicAddressClass('not-an-ip'), null);
  });

  it('classifies IPv6, judging embedded IPv4 addresses (mapped, compatible, NAT64, 6to4) by the IPv4 address', () => {
    assert.equal(nonPublicAddressClass('::'), 'unspecified');
    assert.equal(nonPublicAddressClass('::1'), 'loopback');
    assert.equal(nonPublicAddressClass('::ffff:7f00:1'), 'loopback');
    assert.equal(nonPublicAddressClass('::ffff:8.8.8.8'), null);
    assert.equal(nonPublicAddressClass('::127.0.0.1'), 'loopback');
    assert.equal(nonPublicAddressClass('64:ff9b::a00:1'), 'private');
    assert.equal(nonPublicAddressClass('64:ff9b::808:808'), null);
    assert.equal(nonPublicAddressClass('2002:c0a8:0101::1'), 'private');
    assert.equal(nonPublicAddressClass('2001:db8::1'), 'documentation');
    assert.equal(nonPublicAddressClass('fe80::1%eth0'), 'link-local');
    assert.equal(nonPublicAddressClass('ff02::1'), 'multicast');
    assert.equal(nonPublicAddressClass('2606:4700:4700::1111'), null);
  });
});
