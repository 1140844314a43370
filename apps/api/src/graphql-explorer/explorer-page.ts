// A small GraphQL explorer served at GET /graphql to browsers, instead of Apollo's or GraphiQL's landing
// pages (both load their code from a CDN, so they are blank on a closed network). Everything is inline:
// a query, variables and an Authorization field, and a Run button that POSTs to this same path with fetch.
import { html, pageHead, raw } from '../digital-link/page/html';

/**
 * The page's CSP, sent in a `<meta http-equiv>` (Apollo's landing-page hook cannot set response headers):
 * nothing from any other host; inline style and script only with this response's nonce; fetch to this
 * origin only. (`frame-ancestors` is not allowed in a meta CSP, so it is not listed.)
 */
export function explorerContentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'`;
}

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f23;background:#f6f8fa}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:0 0 .5rem}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media (max-width:48rem){.grid{grid-template-columns:1fr}}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
textarea,input,pre{box-sizing:border-box;width:100%;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;border:1px solid #d0d7de;border-radius:6px;padding:.5rem;background:#fff}
textarea#query{height:22rem}
textarea#variables{height:6rem}
pre{min-height:30rem;max-height:80vh;overflow:auto;margin:0;white-space:pre-wrap;word-break:break-word}
button{margin-top:.75rem;font:inherit;font-weight:600;padding:.4rem 1.2rem;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
.status{color:#57606a;margin-left:.75rem}
p.hint{color:#57606a;margin:.25rem 0 1rem}
`;

const DEFAULT_QUERY = `# Public: the newest sealed block of the ledger.
query LatestBlock {
  latestBlock {
    height
    treeSize
    rootHash
    sealedAt
  }
}
`;

/** Runs the query: POST {query, variables} as JSON to this page's own path; shows the JSON answer as text. */
const SCRIPT = `
(function () {
  var byId = function (id) { return document.getElementById(id); };
  var run = function () {
    var status = byId('status');
    var out = byId('result');
    var variables = {};
    var text = byId('variables').value.trim();
    if (text) {
      try { variables = JSON.parse(text); } catch (e) { out.textContent = 'Variables are not valid JSON: ' + e.message; return; }
    }
    var headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    var auth = byId('authorization').value.trim();
    if (auth) headers.authorization = /^Bearer /.test(auth) ? auth : 'Bearer ' + auth;
    status.textContent = 'running…';
    fetch(window.location.pathname, { method: 'POST', headers: headers, body: JSON.stringify({ query: byId('query').value, variables: variables }) })
      .then(function (res) { return res.text().then(function (body) { return { status: res.status, body: body }; }); })
      .then(function (r) {
        var shown = r.body;
        try { shown = JSON.stringify(JSON.parse(r.body), null, 2); } catch (e) { /* not JSON: shown as is */ }
        out.textContent = shown;
        status.textContent = 'HTTP ' + r.status;
      })
      .catch(function (e) { out.textContent = String(e); status.textContent = 'failed'; });
  };
  byId('run').addEventListener('click', run);
  document.addEventListener('keydown', function (e) { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') run(); });
})();
`;

/** The explorer page for one response; `nonce` must be fresh per response (newNonce). */
export function explorerHtml(nonce: string): string {
  const csp = html`<meta http-equiv="Content-Security-Policy" content="${explorerContentSecurityPolicy(nonce)}">
`;
  return html`${pageHead('PharmaTrace GraphQL', nonce, CSS, csp)}
<main>
<h1>PharmaTrace GraphQL</h1>
<p class="hint">POST to this address with <code>{"query", "variables"}</code>; the contract is <code>apps/api/schema.graphql</code> (introspection is on). Signed-in operations need the token from <code>signIn</code>. Ctrl+Enter runs.</p>
<noscript><p>This explorer needs JavaScript; any GraphQL client can POST to this address instead.</p></noscript>
<div class="grid">
<section>
<label for="query">Query</label>
<textarea id="query" spellcheck="false">${DEFAULT_QUERY}</textarea>
<label for="variables">Variables (JSON)</label>
<textarea id="variables" spellcheck="false">{}</textarea>
<label for="authorization">Authorization (Bearer token, optional)</label>
<input id="authorization" type="text" autocomplete="off" spellcheck="false" placeholder="Bearer …">
<button id="run" type="button">Run</button><span id="status" class="status" role="status"></span>
</section>
<section>
<label for="result">Result</label>
<pre id="result" aria-live="polite"></pre>
</section>
</div>
</main>
<script nonce="${nonce}">${raw(SCRIPT)}</script>
</body>
</html>
`.text;
}
