import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateSerials, SERIAL_PATTERN } from './serials';

describe('generated serials', () => {
  it('are distinct, GS1 AI (21) valid and spread over the whole alphabet', () => {
    const serials = generateSerials(20_000);
    assert.equal(new Set(serials).size, 20_000);
    assert.ok(serials.every((s) => SERIAL_PATTERN.test(s) && s.length === 12));
    const seen = new Set(serials.join(''));
    assert.equal(seen.size, 32, 'every character of the alphabet occurs');
  });
});
