// The caller's recall webhook from the command line (docs/webhooks.md): where the worker POSTs each recall
// notification, signed by the ledger. Human output by default, JSON with --json.
// Exit codes: 0 done, 1 refused by the server (e.g. WEBHOOK_URL_INVALID), 2 bad usage.
import { myWebhook, registerWebhook, removeWebhook, WebhookView } from '@pharmatrace/sdk';
import { required, UsageError } from '../args';
import { clientOf, parseOptions } from '../command-options';

export const WEBHOOK_USAGE = `  webhook register --server URL --key FILE --url URL [--json]
  webhook show|remove --server URL --key FILE [--json]
              your recall webhook: one per participant, registering again replaces it`;

const HELP: Record<string, string> = {
  register: `usage: webhook register --server URL --key FILE --url URL [--json]

Registers (or replaces) your webhook: each recall notification is POSTed there, signed by the ledger as the
Standard Webhooks specification describes (docs/webhooks.md). The URL must be absolute http(s), at most 2,048
characters, without user name, password or #fragment, on a public host.
Exit codes: 0 done, 1 refused (WEBHOOK_URL_INVALID: nothing stored), 2 bad usage.`,
  show: `usage: webhook show --server URL --key FILE [--json]

Your webhook and when it was registered; --json prints null when there is none.
Exit codes: 0 done, 1 refused by the server, 2 bad usage.`,
  remove: `usage: webhook remove --server URL --key FILE [--json]

Removes your webhook (deliveries still pending are given up). Your notifications are still stored: recall
notifications lists them. --json: {"removed": true|false}.
Exit codes: 0 done (also when there was none), 1 refused by the server, 2 bad usage.`,
};

const describe = (w: WebhookView): string => `${w.url} (registered ${w.registeredAt})`;

export async function webhookCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    console.log(`usage:\n${WEBHOOK_USAGE}\nEach subcommand takes --help.`);
    return;
  }
  if (sub !== 'register' && sub !== 'show' && sub !== 'remove') throw new UsageError(`unknown command webhook ${sub ?? ''}; use webhook register, show or remove`);
  const o = parseOptions(rest, { strings: sub === 'register' ? ['server', 'key', 'url'] : ['server', 'key'] });
  if (o.help) {
    console.log(HELP[sub]);
    return;
  }
  if (sub === 'register') {
    const url = required(o.f, 'url');
    const w = await registerWebhook(clientOf(o.f), url);
    console.log(o.json ? JSON.stringify(w) : `Webhook registered: ${describe(w)}\n  each recall notification is POSTed there, signed by the ledger (docs/webhooks.md)`);
  } else if (sub === 'show') {
    const w = await myWebhook(clientOf(o.f));
    console.log(o.json ? JSON.stringify(w) : w ? `Webhook: ${describe(w)}` : 'No webhook registered; your recall notifications are stored all the same (recall notifications).');
  } else {
    const removed = await removeWebhook(clientOf(o.f));
    console.log(o.json ? JSON.stringify({ removed }) : removed ? 'Webhook removed; your recall notifications are still stored (recall notifications).' : 'No webhook was registered; nothing removed.');
  }
}
