// Verifying, dispensing and decommissioning packs from the command line, through the SDK: what a pharmacy
// without an integrated counter system scripts around its scanner. Human output by default, one JSON
// object with --json. Exit codes: 0 done (verify-pack: fit to dispense), 1 refused by the server (verify-pack:
// not fit), 2 bad usage.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  AnyDecommissionKind, decommission, dispense, PackFields, PackVerdictView, PharmaTraceClient, readKeyFile, Receipt, undoDecommission, verifyPack,
} from '@pharmatrace/sdk';
import { Flags, required, UsageError } from '../args';
import { readUtf8File } from '../csv-records';
import { listFlag } from '../item-lists';

export const DISPENSING_USAGE = `  verify-pack --server URL --key FILE (--scan TEXT | --gtin GTIN --serial S [--lot L] [--expiry YYYY-MM-DD]) [--json]
              exit 0 when the pack is fit to dispense, 1 when it is not (the reasons with their EMVS codes)
  dispense --server URL --key FILE --prescription ID --patient PSEUDONYM (--scan TEXT [--scan TEXT …] | --scans-file F) [--json]
              F: the scanner's output, one scan a line (GS1 element string, ]d2 prefix optional, or Digital Link URI)
  decommission --server URL --key FILE --kind sample|free_sample|locked|exported|destroyed|stolen
               (--items a,b | --items-file F) --reason R [--json]
  undo-dispense|undo-decommission --server URL --key FILE --event HASH (--items a,b | --items-file F) [--json]
              HASH: the event hash dispense or decommission printed; the packs are active again`;

const DECOMMISSION_KINDS: readonly AnyDecommissionKind[] = ['sample', 'free_sample', 'locked', 'exported', 'destroyed', 'stolen'];

/** A command that ran but whose answer is "no" (a pack not fit to dispense): exit 1, the code on stderr. */
class NotFitError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Parsed {
  f: Flags;
  scans: string[];
  json: boolean;
}

/** Parses `--name value` flags (`--scan` may repeat, `--json` takes no value); any mistake is bad usage (exit 2). */
function parse(argv: string[], names: string[], repeatable: string[] = []): Parsed {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
        ...Object.fromEntries(repeatable.map((n) => [n, { type: 'string' as const, multiple: true as const }])),
        json: { type: 'boolean' as const },
      },
      strict: true,
      allowPositionals: false,
    });
    const all = values as Record<string, string | string[] | boolean | undefined>;
    const f: Flags = {};
    for (const n of names) f[n] = all[n] as string | undefined;
    return { f, scans: (all.scan as string[] | undefined) ?? [], json: all.json === true };
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

const client = (f: Flags) => {
  const keyPath = required(f, 'key');
  if (!existsSync(keyPath)) throw new UsageError(`--key ${keyPath}: no such file; give the pharmacy's key file (keys generate --out FILE)`);
  return new PharmaTraceClient(required(f, 'server'), readKeyFile(keyPath));
};

/**
 * A scanner's output file: one scan a line. Read raw and split only on line feeds (a GS1 element string
 * holds the group separator U+001D, which must survive), a trailing CR removed; empty lines are skipped.
 */
export function parseScansFile(text: string, path: string): string[] {
  const scans = text
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line.length > 0);
  if (scans.length === 0) throw new UsageError(`${path} holds no scans; it should list one pack scan a line`);
  return scans;
}

function scansOf(p: Parsed): string[] {
  const file = p.f['scans-file'];
  if (file !== undefined && p.scans.length > 0) throw new UsageError('give --scan or --scans-file, not both');
  if (file !== undefined) {
    if (file === '' || !existsSync(file)) throw new UsageError(`--scans-file ${file}: no such file`);
    return parseScansFile(readUtf8File(file), file);
  }
  if (p.scans.length === 0) throw new UsageError('--scan (once per pack) or --scans-file is required');
  if (p.scans.some((s) => s === '')) throw new UsageError('--scan needs the scanned text');
  return p.scans;
}

function describeVerdict(v: PackVerdictView): string {
  const what = v.product ? `${v.product.name} (GTIN ${v.product.gtin})` : `GTIN ${v.scanned.gtin}`;
  const lines = [`${v.fitToDispense ? 'FIT TO DISPENSE' : 'NOT FIT TO DISPENSE'}: ${what}, serial ${v.scanned.serial} — ${v.status}`];
  if (v.batch) lines.push(`  batch ${v.batch.lot}, expires ${v.batch.expiresOn}`);
  if (v.pack?.custodianId) lines.push(`  held by ${v.pack.custodianId}`);
  for (const r of v.reasons) {
    const codes = [r.emvs && `EMVS ${r.emvs}`, r.nmvs && `NMVS ${r.nmvs}`].filter(Boolean).join(', ');
    lines.push(`  ${r.code}${codes ? ` (${codes})` : ''}: ${r.message}`);
  }
  return lines.join('\n');
}

function printReceipt(json: boolean, receipt: Receipt, human: string): void {
  console.log(json ? JSON.stringify(receipt) : `${human}\n  event ${receipt.hash} (seq ${receipt.seq})${receipt.duplicate ? ', already recorded' : ''}`);
}

export async function dispensingCommand(command: string, argv: string[]): Promise<void> {
  const base = ['server', 'key'];
  switch (command) {
    case 'verify-pack': {
      const p = parse(argv, [...base, 'gtin', 'serial', 'lot', 'expiry'], ['scan']);
      const { f } = p;
      const typed = ['gtin', 'serial', 'lot', 'expiry'].some((n) => f[n] !== undefined);
      if (p.scans.length > 1) throw new UsageError('verify-pack checks one pack: give --scan once');
      if (p.scans.length === 1 && typed) throw new UsageError('give --scan, or --gtin and --serial (with --lot and --expiry), not both');
      let input: string | PackFields;
      if (p.scans.length === 1) {
        if (p.scans[0] === '') throw new UsageError('--scan needs the scanned text');
        input = p.scans[0];
      } else {
        if (!typed) throw new UsageError('--scan TEXT, or --gtin and --serial, is required');
        if (f.expiry !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(f.expiry)) throw new UsageError(`--expiry must be a date YYYY-MM-DD (as on the label), not "${f.expiry}"`);
        input = { gtin: required(f, 'gtin'), serial: required(f, 'serial'), lot: f.lot ?? null, expiry: f.expiry ?? null };
      }
      const verdict = await verifyPack(client(f), input);
      console.log(p.json ? JSON.stringify(verdict) : describeVerdict(verdict));
      if (!verdict.fitToDispense) {
        const codes = verdict.reasons.map((r) => r.code).join(', ') || verdict.status;
        throw new NotFitError('NOT_FIT_TO_DISPENSE', `${codes}; do not hand this pack over`);
      }
      return;
    }
    case 'dispense': {
      const p = parse(argv, [...base, 'prescription', 'patient', 'scans-file'], ['scan']);
      const scans = scansOf(p);
      const prescription = required(p.f, 'prescription');
      const patient = required(p.f, 'patient');
      if (!/^[0-9a-f]{64}$/.test(patient)) {
        throw new UsageError('--patient must be the patient pseudonym from the e-prescription token (64 lowercase hex characters), never a name or national id');
      }
      const receipt = await dispense(client(p.f), { prescription, patient, scans });
      const r = receipt.result as { supplied?: number; remaining?: number };
      printReceipt(p.json, receipt, `Dispensed ${r.supplied ?? scans.length} pack(s) against prescription ${prescription}; ${r.remaining ?? '?'} remaining`);
      return;
    }
    case 'decommission': {
      const p = parse(argv, [...base, 'kind', 'items', 'items-file', 'reason']);
      const kind = required(p.f, 'kind') as AnyDecommissionKind;
      if (!DECOMMISSION_KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${DECOMMISSION_KINDS.join(', ')}, not "${kind}"`);
      const items = listFlag(p.f, 'items');
      const reason = required(p.f, 'reason');
      const receipt = await decommission(client(p.f), kind, items, reason);
      const undo = kind === 'destroyed' || kind === 'stolen' ? ' (final)' : `; undo with undo-decommission --event ${receipt.hash} --items …`;
      printReceipt(p.json, receipt, `Decommissioned ${items.length} pack(s) as ${kind}${undo}`);
      return;
    }
    case 'undo-dispense':
    case 'undo-decommission': {
      const p = parse(argv, [...base, 'event', 'items', 'items-file']);
      const event = required(p.f, 'event');
      if (!/^[0-9a-f]{64}$/.test(event)) throw new UsageError(`--event must be the event hash (64 lowercase hex characters) that dispense or decommission printed, not "${event}"`);
      const items = listFlag(p.f, 'items');
      const receipt = await undoDecommission(client(p.f), event, items);
      printReceipt(p.json, receipt, `Undid event ${event} for ${items.length} pack(s): active again`);
      return;
    }
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}
