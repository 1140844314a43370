// VRS tokens from the command line (docs/dscsa-vrs.md): the bearer tokens a trading partner's VRS requester
// sends to GET /verify/…. Human output by default, JSON with --json.
// Exit codes: 0 done, 1 refused by the server (e.g. VRS_TOKEN_LIMIT), 2 bad usage.
import { issueVrsToken, myVrsTokens, revokeVrsToken, VrsTokenInfo } from '@pharmatrace/sdk';
import { required, UsageError } from '../args';
import { clientOf, parseOptions } from '../command-options';

export const VRS_USAGE = `  vrs token issue --server URL --key FILE --label TEXT [--json]
  vrs token list --server URL --key FILE [--json]
  vrs token revoke --server URL --key FILE --id ID [--json]
              DSCSA verification (VRS) tokens: the token is printed once, at issue`;

const HELP: Record<string, string> = {
  issue: `usage: vrs token issue --server URL --key FILE --label TEXT [--json]

Issues a VRS token for your participant (manufacturers, wholesalers and pharmacies; at most 20 active).
The token is printed this once: the server keeps only its SHA-256. Give it to your VRS requester, which
sends it as "Authorization: Bearer <token>" to GET /verify/gtin/…/lot/…/ser/…?exp=YYMMDD (docs/dscsa-vrs.md).
Exit codes: 0 done, 1 refused (FORBIDDEN_ROLE, VRS_TOKEN_LABEL_INVALID, VRS_TOKEN_LIMIT: nothing stored), 2 bad usage.`,
  list: `usage: vrs token list --server URL --key FILE [--json]

Your VRS tokens, newest first: id, label, when created and last used, and whether revoked (never the token).
Exit codes: 0 done, 1 refused by the server, 2 bad usage.`,
  revoke: `usage: vrs token revoke --server URL --key FILE --id ID [--json]

Revokes one of your VRS tokens at once: requests with it answer 401 from then on.
Exit codes: 0 done (also when it was already revoked), 1 refused (UNKNOWN_VRS_TOKEN), 2 bad usage.`,
};

const line = (t: VrsTokenInfo): string =>
  `${t.id}  ${t.label}  created ${t.createdAt}  ${t.lastUsedAt ? `last used ${t.lastUsedAt}` : 'never used'}${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}`;

export async function vrsCommand(argv: string[]): Promise<void> {
  const [noun, sub, ...rest] = argv;
  if (noun === '--help' || noun === '-h' || (noun === 'token' && (sub === '--help' || sub === '-h'))) {
    console.log(`usage:\n${VRS_USAGE}\nEach subcommand takes --help.`);
    return;
  }
  if (noun !== 'token') throw new UsageError(`unknown command vrs ${noun ?? ''}; use vrs token issue, list or revoke`);
  if (sub !== 'issue' && sub !== 'list' && sub !== 'revoke') throw new UsageError(`unknown command vrs token ${sub ?? ''}; use vrs token issue, list or revoke`);
  const strings = sub === 'issue' ? ['server', 'key', 'label'] : sub === 'revoke' ? ['server', 'key', 'id'] : ['server', 'key'];
  const o = parseOptions(rest, { strings });
  if (o.help) {
    console.log(HELP[sub]);
    return;
  }
  if (sub === 'issue') {
    const t = await issueVrsToken(clientOf(o.f), required(o.f, 'label'));
    console.log(o.json ? JSON.stringify(t) : `VRS token ${t.id} (${t.label}):\n  ${t.token}\nKeep it now: it is not shown again. Revoke it with vrs token revoke --id ${t.id}.`);
  } else if (sub === 'list') {
    const tokens = await myVrsTokens(clientOf(o.f));
    console.log(o.json ? JSON.stringify(tokens) : tokens.length ? tokens.map(line).join('\n') : 'No VRS tokens; issue one with vrs token issue --label TEXT.');
  } else {
    const t = await revokeVrsToken(clientOf(o.f), required(o.f, 'id'));
    console.log(o.json ? JSON.stringify(t) : `Revoked ${line(t)}`);
  }
}
