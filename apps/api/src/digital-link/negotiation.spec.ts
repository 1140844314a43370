import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wantsJson } from './negotiation';

describe('resolver content negotiation', () => {
  it('answers JSON to apps and HTML to browsers', () => {
    assert.equal(wantsJson('application/json', undefined), true);
    assert.equal(wantsJson('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', undefined), false);
    assert.equal(wantsJson('text/html;q=0.5, application/json', undefined), true);
    assert.equal(wantsJson('application/json;q=0', undefined), false);
    assert.equal(wantsJson(undefined, undefined), false);
    assert.equal(wantsJson('*/*', undefined), false);
    assert.equal(wantsJson(undefined, 'json'), true);
  });
});
