// A very small, escaping HTML template: `html` tagged templates escape every interpolated value unless it
// is itself Html (built by `html`), so nothing read from the ledger or the URL can become markup.

/** Markup that is safe to insert as is: only `html` and `raw` make it. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

/** Text as HTML text or a quoted attribute value: & < > " ' ` = escaped. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (c) => ESCAPES[c]);
}

export type Interpolated = Html | string | number | boolean | null | undefined | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\`` — every interpolation escaped (arrays joined; null, undefined and false render nothing). */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup written in this code base (CSS, a script): never pass it anything read from a request or the database. */
/**
 * The opening of every page the server renders, up to `<body>`: lang, charset, viewport, no referrer, the
 * title, and the page's CSS inline under this response's nonce (nothing from another host). `extraHead`
 * goes before the title (e.g. a CSP meta tag).
 */
export function pageHead(title: string, nonce: string, css: string, extraHead: Html | null = null): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${extraHead}<title>${title}</title>
<style nonce="${nonce}">${raw(css)}</style>
</head>
<body>`;
}

export function raw(trusted: string): Html {
  return new Html(trusted);
}
