// The page frame every answer of the resolver shares: lang, viewport, inline nonce'd CSS, no asset from
// another host. The Content-Security-Policy sent with it (contentSecurityPolicy) allows only that.
import { html, Html, pageHead } from './html';
import { PAGE_CSS } from './styles';

/** The CSP of every resolver page: nothing from any other host; inline style and script only with this response's nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

export function layout(title: string, nonce: string, body: Html, script: Html | null = null): string {
  return html`${pageHead(title, nonce, PAGE_CSS)}
<main>
${body}
<footer><p>PharmaTrace medicine check. This page works without JavaScript and keeps no personal data about you.</p></footer>
</main>
${script ? html`<script nonce="${nonce}">${script}</script>` : null}
</body>
</html>
`.text;
}
