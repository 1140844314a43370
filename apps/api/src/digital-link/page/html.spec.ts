import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, raw } from './html';

describe('page templating', () => {
  it('escapes every interpolated value', () => {
    const hostile = `<script>alert("x")</script>' onload=x \``;
    const out = html`<p title="${hostile}">${hostile}</p>`.text;
    assert.ok(!out.includes('<script>'));
    assert.ok(!out.includes('"x"'));
    assert.equal(out, `<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}</p>`);
  });

  it('keeps nested templates and trusted markup, and drops null, undefined and false', () => {
    const inner = html`<b>${'a&b'}</b>`;
    assert.equal(html`<p>${inner}${null}${undefined}${false}${[html`<i>1</i>`, '<2>']}${raw('<br>')}</p>`.text, '<p><b>a&amp;b</b><i>1</i>&lt;2&gt;<br></p>');
  });
});
