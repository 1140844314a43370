// Verification alerts from the command line (libs/scan-alerts; docs/webhooks.md "Verification alert webhooks"): the
// alerts you may see, and their life cycle. Human output by default, JSON with --json.
// Exit codes: 0 done, 1 refused by the server (e.g. UNKNOWN_ALERT, ALERT_TRANSITION_INVALID), 2 bad usage.
import { AlertStatus, AlertView, updateVerificationAlert, verificationAlerts } from '@pharmatrace/sdk';
import { required, UsageError } from '../args';
import { clientOf, parseOptions } from '../command-options';

export const ALERT_USAGE = `  alert list --server URL --key FILE [--status new|under_investigation|closed] [--kind KIND] [--gtin GTIN] [--first N] [--after ID] [--json]
  alert update --server URL --key FILE --id ALERT --status under_investigation|closed [--note TEXT] [--json]
              verification alerts (clones, unknown serials, inactive packs at the counter): regulators and the product's manufacturer`;

const HELP: Record<string, string> = {
  list: `usage: alert list --server URL --key FILE [--status S] [--kind K] [--gtin GTIN] [--first N] [--after ID] [--json]

The verification alerts you may see, newest first: a regulator all of them, a manufacturer those on its products
(without the pharmacies' identity); anyone else none. --first 1–100 (default 50); --after the last id printed.
Kinds: REGIONS_WITHIN_WINDOW, TOO_MANY_DEVICES, UNKNOWN_SERIAL, INACTIVE_PACK_DECOMMISSIONED.
Exit codes: 0 done, 1 refused (INVALID_ALERT_FILTER), 2 bad usage.`,
  update: `usage: alert update --server URL --key FILE --id ALERT --status under_investigation|closed [--note TEXT] [--json]

Moves an alert along new → under_investigation → closed (or new → closed). Closing needs --note (1–2000
characters, no control characters); a closed alert is final.
Exit codes: 0 done, 1 refused (UNKNOWN_ALERT, ALERT_TRANSITION_INVALID, ALERT_NOTE_REQUIRED, INVALID_ALERT_NOTE,
FORBIDDEN_ROLE: nothing stored), 2 bad usage.`,
};

const line = (a: AlertView): string =>
  `${a.id}  ${a.kind}${a.cloneSuspected ? ' (clone suspected)' : ''}  ${a.gtin}/${a.serial}  ${a.status} (revision ${a.revision})  raised ${a.raisedAt}`;

export async function alertCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    console.log(`usage:\n${ALERT_USAGE}\nEach subcommand takes --help.`);
    return;
  }
  if (sub !== 'list' && sub !== 'update') throw new UsageError(`unknown command alert ${sub ?? ''}; use alert list or alert update`);
  const o = parseOptions(rest, { strings: sub === 'list' ? ['server', 'key', 'status', 'kind', 'gtin', 'first', 'after'] : ['server', 'key', 'id', 'status', 'note'] });
  if (o.help) {
    console.log(HELP[sub]);
    return;
  }
  if (sub === 'list') {
    const first = o.f.first === undefined ? 50 : Number(o.f.first);
    if (!Number.isInteger(first) || first < 1 || first > 100) throw new UsageError('--first must be a whole number 1–100');
    const alerts = await verificationAlerts(clientOf(o.f), {
      status: o.f.status as AlertStatus | undefined,
      kind: o.f.kind as AlertView['kind'] | undefined,
      gtin: o.f.gtin,
      first,
      after: o.f.after,
    });
    console.log(o.json ? JSON.stringify(alerts) : alerts.length === 0 ? 'No verification alerts you may see.' : alerts.map(line).join('\n'));
    return;
  }
  const id = required(o.f, 'id');
  const status = required(o.f, 'status');
  if (status !== 'under_investigation' && status !== 'closed') throw new UsageError('--status must be under_investigation or closed');
  const updated = await updateVerificationAlert(clientOf(o.f), id, status as AlertStatus, o.f.note ?? null);
  console.log(o.json ? JSON.stringify(updated) : `Alert ${updated.id} is now ${updated.status} (revision ${updated.revision}); the manufacturer and the regulators are told.`);
}
