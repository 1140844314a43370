// The server's front page (`GET /`): what this server is and where to go, as a small self-contained HTML
// page for browsers or `{name, version, links}` JSON for programs. Nothing is loaded from another host.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { html, pageHead } from '../digital-link/page/html';

/** One entry of the front page: a path on this server (relative, so it follows whatever host served the page). */
export interface FrontPageLink {
  /** Stable key for programs, e.g. `graphql`, `health`, `ledgerKey`. */
  rel: string;
  /** Path on this server, or a URI template (RFC 6570 level 1, `{gtin}`) for the verification routes. */
  href: string;
  /** HTTP method the link is meant for. */
  method: 'GET' | 'POST';
  /** One sentence: what is there. */
  title: string;
}

/** The JSON form of the front page (`Accept: application/json`). */
export interface FrontPage {
  name: 'PharmaTrace';
  /** The `version` of the repository's package.json. */
  version: string;
  description: string;
  links: FrontPageLink[];
}

export const FRONT_PAGE_LINKS: readonly FrontPageLink[] = [
  { rel: 'graphql', href: '/graphql', method: 'POST', title: 'The GraphQL API (apps/api/schema.graphql); open it in a browser for a local query explorer.' },
  { rel: 'health', href: '/health', method: 'GET', title: 'Database and queue status; ?probe=true also proves a worker consumes jobs.' },
  { rel: 'ledgerKey', href: '/.well-known/pharmatrace-ledger', method: 'GET', title: "The ledger's public keys and newest signed block header, for witnesses and auditors." },
  { rel: 'packVerification', href: '/01/{gtin}/21/{serial}', method: 'GET', title: "A pack's GS1 Digital Link (the QR code on the pack): the patient page, or JSON with a proof." },
  { rel: 'dscsaVerification', href: '/verify/gtin/{gtin}/lot/{lot}/ser/{serial}', method: 'GET', title: 'DSCSA verification responder (GS1 US Lightweight Messaging) for trading partners, with a VRS token (issueVrsToken).' },
  { rel: 'packLabel', href: '/labels/01/{gtin}/21/{file}', method: 'GET', title: "A pack's label as <serial>.svg or <serial>.png, for its manufacturer (signed in)." },
];

let cachedVersion: string | null = null;

/** The `version` of the nearest package.json named "pharmatrace" above this file ("unknown" if none is found). */
export function serverVersion(): string {
  if (cachedVersion !== null) return cachedVersion;
  cachedVersion = 'unknown';
  for (let dir = __dirname, up = 0; up < 8; dir = dirname(dir), up += 1) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'pharmatrace' && typeof parsed.version === 'string') {
        cachedVersion = parsed.version;
        break;
      }
    } catch {
      // no (readable) package.json here: look one folder up
    }
  }
  return cachedVersion;
}

export function frontPage(): FrontPage {
  return {
    name: 'PharmaTrace',
    version: serverVersion(),
    description:
      'Tracks medicines from the ingredient supplier to the patient through signed, hash-chained custody events sealed into a verifiable, append-only ledger.',
    links: FRONT_PAGE_LINKS.map((link) => ({ ...link })),
  };
}

const CSS = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f23;background:#f6f8fa}
main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem}
h1{font-size:1.6rem;margin:0 0 .25rem}
.version{color:#57606a;margin:0 0 1rem}
dl{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.5rem 1rem}
dt{font-weight:600;margin-top:.75rem}
dd{margin:0 0 .5rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.95em;background:#eef1f4;padding:0 .2em;border-radius:3px}
footer{color:#57606a;font-size:.875rem;margin-top:1.5rem}
`;

/** The HTML form: every link a relative path on this server; style only with this response's nonce. */
export function frontPageHtml(page: FrontPage, nonce: string): string {
  const entries = page.links.map((link) => {
    const target = link.href.includes('{') ? html`<code>${link.method} ${link.href}</code>` : html`<a href="${link.href}"><code>${link.href}</code></a>`;
    return html`<dt>${target}</dt><dd>${link.title}</dd>`;
  });
  return html`${pageHead('PharmaTrace', nonce, CSS)}
<main>
<h1>PharmaTrace</h1>
<p class="version">Server version ${page.version}</p>
<p>${page.description} Every event is signed by its author with Ed25519 and chained to the previous event on the same item; the server holds only public keys and its own ledger sealing key.</p>
<dl>
${entries}
</dl>
<p>Programs can ask for this page as JSON (<code>Accept: application/json</code>).</p>
<footer><p>Signed-in operations need <code>Authorization: Bearer &lt;token&gt;</code> from the challenge–response sign-in (<code>signInChallenge</code>, <code>signIn</code>).</p></footer>
</main>
</body>
</html>
`.text;
}
