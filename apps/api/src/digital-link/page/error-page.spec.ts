import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { malformedLinkPage, visibleMessage } from './error-page';

describe('the malformed-link page', () => {
  it('names a quoted bidi control by its code point instead of letting it reorder the sentence', () => {
    const message = 'The serial number “a\u202eb” contains “\u202e” (U+202E), which is not allowed.';
    assert.equal(visibleMessage(message), 'The serial number “aU+202Eb” contains “U+202E” (U+202E), which is not allowed.');
    for (const control of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202d', '\u2066', '\u2069']) {
      assert.doesNotMatch(malformedLinkPage('n0nce', `x${control}y`), new RegExp(control), `U+${control.charCodeAt(0).toString(16)}`);
    }
  });

  it('escapes markup in the sentence', () => {
    const page = malformedLinkPage('n0nce', 'The lot “<script>alert(1)</script>” is not valid.');
    assert.doesNotMatch(page, /<script>alert/);
    assert.match(page, /&lt;script&gt;/);
  });
});
