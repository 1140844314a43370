// The IPv6 special-purpose ranges a webhook may not target (IANA IPv6 Special-Purpose Address Registry), in
// the spellings the WHATWG URL parser hands over, and the public addresses that must stay allowed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nonPublicAddressClass } from './private-addresses';
import { parseWebhookUrl } from './webhook-url';

describe('non-public IPv6 addresses', () => {
  it('IPv4-translated ::ffff:0:0/96 is judged by the IPv4 address inside, like IPv4-mapped', () => {
    assert.equal(nonPublicAddressClass('::ffff:0:7f00:1'), 'loopback');
    assert.equal(nonPublicAddressClass('::ffff:0:127.0.0.1'), 'loopback');
    assert.equal(nonPublicAddressClass('::ffff:0:a00:1'), 'private');
    assert.equal(nonPublicAddressClass('::ffff:0:a9fe:a9fe'), 'link-local');
    assert.equal(nonPublicAddressClass('::ffff:0:808:808'), null);
  });

  it('IPv4-compatible ::/96 is never a target, even with a public IPv4 address inside', () => {
    assert.equal(nonPublicAddressClass('::7f00:1'), 'loopback');
    assert.equal(nonPublicAddressClass('::a00:1'), 'private');
    assert.equal(nonPublicAddressClass('::808:808'), 'reserved');
  });

  it('refuses the special ranges: local-use NAT64, discard, IETF assignments, ULA, site-local, link-local, multicast', () => {
    const cases: Array<[string, string]> = [
      ['64:ff9b:1::1', 'translation'],
      ['64:ff9b:1:ffff::808:808', 'translation'],
      ['100::1', 'reserved'],
      ['100::ffff:ffff:ffff:ffff', 'reserved'],
      ['2001:2::1', 'reserved'], // benchmarking
      ['2001:10::1', 'reserved'], // ORCHID
      ['2001::1', 'translation'], // Teredo
      ['fc00::1', 'unique-local'],
      ['fdff:ffff::1', 'unique-local'],
      ['fec0::1', 'private'],
      ['feff::1', 'private'],
      ['fe80::1', 'link-local'],
      ['febf::1', 'link-local'],
      ['ff00::1', 'multicast'],
      ['ff0e::1', 'multicast'],
      ['2001:db8::1', 'documentation'],
    ];
    for (const [address, kind] of cases) assert.equal(nonPublicAddressClass(address), kind, address);
  });

  it('anything outside global unicast 2000::/3 is refused, so a range not named here is not let through', () => {
    for (const address of ['::2', '1::1', '100:0:0:1::1', '5f00::1', '4000::1', 'e000::1', 'fe00::1']) {
      assert.notEqual(nonPublicAddressClass(address), null, address);
    }
  });

  it('leaves public addresses alone: global unicast, NAT64 and 6to4 of public IPv4 addresses, IPv4-mapped public', () => {
    for (const address of ['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2001:4860:4860::8888', '64:ff9b::808:808', '2002:808:808::1', '::ffff:8.8.8.8', '3ffe::1']) {
      assert.equal(nonPublicAddressClass(address), null, address);
    }
  });

  it('a webhook URL with a literal in one of these ranges is refused, in the spelling the URL parser normalises to', () => {
    for (const raw of ['http://[::ffff:0:7f00:1]/', 'http://[::ffff:0:127.0.0.1]/hook', 'http://[::127.0.0.1]/', 'http://[64:ff9b:1::a00:1]/', 'http://[100::1]/', 'http://[fc00::1]/', 'http://[fec0::1]/', 'http://[ff02::1]/']) {
      assert.throws(() => parseWebhookUrl(raw, false), /not reachable from the public internet/, raw);
    }
    assert.equal(parseWebhookUrl('https://[2606:4700:4700::1111]/hook', false).hostname, '[2606:4700:4700::1111]');
  });
});
