// The PharmaTrace command line: keys, deployment init, participants and keys, migrations, demo.
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@pharmatrace/config';
import { PharmaTraceApiError } from '@pharmatrace/sdk';
import { UsageError } from './args';
import { databaseSide } from './load-database-side';
import { auditCommand } from './commands/audit.command';
import { COLD_CHAIN_USAGE, coldChainCommand } from './commands/cold-chain.command';
import { CUSTODY_USAGE, custodyCommand } from './commands/custody.command';
import { DISPENSING_USAGE, dispensingCommand } from './commands/dispensing.command';
import { exportCommand } from './commands/export.command';
import { initCommand } from './commands/init.command';
import { keysCommand } from './commands/keys.command';
import { keyCommand, participantCommand } from './commands/participant.command';
import { VOID_SHIPMENT_USAGE, voidShipmentCommand } from './commands/void-shipment.command';
import { TRACE_USAGE, traceCommand } from './commands/trace.command';
import { RECALL_USAGE, recallCommand } from './commands/recall.command';
import { WEBHOOK_USAGE, webhookCommand } from './commands/webhook.command';
import { ALERT_USAGE, alertCommand } from './commands/alert.command';
import { LABELS_USAGE, labelsCommand } from './commands/labels.command';
import { VRS_USAGE, vrsCommand } from './commands/vrs.command';
import { EPCIS_USAGE, epcisCommand } from './commands/epcis.command';

const USAGE = `usage: pharmatrace <command>     (npx pharmatrace …, or npm run cli -- … in the repository)
  keys generate --out FILE [--label L] [--kind operator|terminal|logger] [--participant ID]
  keys show --file FILE
  init --id ID --name NAME --gln GLN --licence NUMBER --licence-expires YYYY-MM-DD --key-out FILE
  participant register --server URL --key FILE --id ID --name NAME --role ROLE --gln GLN
                       --licence NUMBER --licence-expires YYYY-MM-DD --participant-key FILE
  participant suspend|reinstate --server URL --key FILE --id ID --reason TEXT
  participant renew-licence --server URL --key FILE --id ID --licence NUMBER --expires YYYY-MM-DD
  key add --server URL --key FILE [--participant ID] --new-key FILE
  key revoke --server URL --key FILE [--participant ID] --kid KID --reason TEXT
  key rotate --server URL --key FILE [--participant ID] --kid OLD_KID --new-key FILE
  migrate
${CUSTODY_USAGE}
${VOID_SHIPMENT_USAGE}
${COLD_CHAIN_USAGE}
${DISPENSING_USAGE}
${TRACE_USAGE}
${RECALL_USAGE}
${WEBHOOK_USAGE}
${ALERT_USAGE}
${LABELS_USAGE}
${VRS_USAGE}
${EPCIS_USAGE}
  audit [--server URL --key FILE] [--ledger-key KEY] [--follow --server URL --state FILE [--once] [--interval MS]]
  export --out DIR [--from-height N] | export --server URL --key REGULATOR_KEY_FILE --out DIR`;

async function migrate(): Promise<void> {
  const { startRuntime } = databaseSide();
  const runtime = await startRuntime(loadConfig(), { migrate: true });
  console.log('Migrations applied.');
  await runtime.close();
}

/** Commands that answer --help themselves (each subcommand has its own usage). */
const OWN_HELP = new Set(['recall', 'webhook', 'alert', 'labels', 'vrs']);

/** The usage lines of `command` (and their continuation lines), or the whole usage when none match. */
function usageOf(command: string | undefined): string {
  if (!command) return USAGE;
  const lines = USAGE.split('\n');
  const out: string[] = [];
  let taking = false;
  for (const line of lines) {
    const start = /^  (\S+)/.exec(line);
    if (start) taking = start[1].split('|').some((word) => word === command || word.startsWith(`${command} `)) || line.startsWith(`  ${command} `);
    if (taking) out.push(line);
  }
  return out.length > 0 ? `usage: pharmatrace ${command} …\n${out.join('\n')}` : USAGE;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(usageOf(rest[0]));
    return;
  }
  if ((rest.includes('--help') || rest.includes('-h')) && !OWN_HELP.has(command)) {
    console.log(usageOf(command));
    return;
  }
  switch (command) {
    case 'keys':
      return keysCommand(rest);
    case 'init':
      return initCommand(rest);
    case 'participant':
      return participantCommand(rest);
    case 'key':
      return keyCommand(rest);
    case 'migrate':
      return migrate();
    case 'audit':
      return auditCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'product':
    case 'lot':
    case 'batch':
    case 'commission':
    case 'pack':
    case 'unpack':
    case 'ship':
    case 'receive':
    case 'refuse':
    case 'dispose':
    case 'history':
    case 'item':
    case 'shipment':
    case 'incoming':
      return custodyCommand(command, rest);
    case 'void-shipment':
      return voidShipmentCommand(rest);
    case 'readings':
    case 'quarantine':
    case 'temperatures':
      return coldChainCommand(command, rest);
    case 'verify-pack':
    case 'dispense':
    case 'decommission':
    case 'undo-dispense':
    case 'undo-decommission':
      return dispensingCommand(command, rest);
    case 'trace':
      return traceCommand(command, rest);
    case 'recall':
      // `recall progress` is a tracing report; the rest work the recall itself.
      return rest[0] === 'progress' ? traceCommand(command, rest) : recallCommand(rest);
    case 'webhook':
      return webhookCommand(rest);
    case 'alert':
      return alertCommand(rest);
    case 'labels':
      return labelsCommand(rest);
    case 'vrs':
      return vrsCommand(rest);
    case 'epcis':
      return epcisCommand(rest);
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command');
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    // node:util parseArgs refuses unknown or malformed flags with ERR_PARSE_ARGS_*: bad usage too.
    const code: unknown = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
    const parseError = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
    if (parseError) {
      console.error(`${(e as Error).message}\n${usageOf(process.argv[2])}`);
      process.exit(2);
    }
    if (e instanceof UsageError) console.error(`${e.message}\n${usageOf(process.argv[2])}`);
    else if (e instanceof PharmaTraceApiError) console.error(`${e.code}: ${e.message}`);
    else if (e instanceof ConfigError) console.error(e.message);
    else if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string') console.error(`${(e as { code: string }).code}: ${e.message}`);
    else console.error(e);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
