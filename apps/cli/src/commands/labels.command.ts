// Pack labels from the command line, through the SDK (docs/pack-labels.md): a manufacturer signs its
// batch's labels with its own key file and registers them, then writes one pack's label (SVG or PNG) or
// the batch's printable sheet (HTML, streamed to the file). Progress bars go to stderr, and only when it
// is a terminal (clig.dev). Human output by default, JSON with --json.
// Exit codes: 0 done, 1 refused (the server's code and sentence on stderr), 2 bad usage.
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { downloadLabel, downloadLabelSheet, signAndRegisterBatchLabels } from '@pharmatrace/sdk';
import { normalizeGtin, SERIAL_PATTERN } from '@pharmatrace/gs1';
import { required, UsageError } from '../args';
import { progressBar } from '../progress-bar';
import { clientOf, Options, OptionSpec, parseOptions } from '../command-options';

const ACCESS = '--server URL --key FILE';

export const LABELS_USAGE = `  labels sign ${ACCESS} --gtin GTIN --lot LOT [--json]
  labels sheet ${ACCESS} --gtin GTIN --lot LOT --out FILE.html [--json]
  labels pack ${ACCESS} --gtin GTIN --serial SERIAL --format svg|png --out FILE [--json]`;

const EXIT = 'Exit codes: 0 done, 1 refused (the server’s code and sentence on stderr), 2 bad usage.';

const HELP: Record<string, string> = {
  sign: `usage: labels sign ${ACCESS} --gtin GTIN --lot LOT [--json]

Signs the label of every pack commissioned into the batch with your key file (Ed25519 over the pack's GTIN,
lot, serial, expiry and your key id; the private key never leaves this machine) and registers the
signatures, 1,000 at a time. Safe to run again: labels already registered are left as they are; a new key
(after a rotation) replaces them, for a reprint. A progress bar on stderr when it is a terminal.
${EXIT} E.g. UNKNOWN_BATCH, KEY_REVOKED, LABELS_REJECTED.`,
  sheet: `usage: labels sheet ${ACCESS} --gtin GTIN --lot LOT --out FILE.html [--json]

Writes the batch's printable label sheet: an HTML page of SVG labels, 20 to an A4 page, streamed to FILE as
it arrives (a 100,000-pack batch never sits in memory). Progress on stderr when it is a terminal.
${EXIT} E.g. NO_LABELS (run labels sign first), UNKNOWN_BATCH, LABEL_SHEET_BUSY.`,
  pack: `usage: labels pack ${ACCESS} --gtin GTIN --serial SERIAL --format svg|png --out FILE [--json]

Writes one pack's label: SVG (the QR code with GTIN, SN, LOT and EXP under it) or PNG (the QR code alone).
${EXIT} E.g. UNKNOWN_LABEL.`,
};

const SPECS: Record<string, OptionSpec> = {
  sign: { strings: ['gtin', 'lot'] },
  sheet: { strings: ['gtin', 'lot', 'out'] },
  pack: { strings: ['gtin', 'serial', 'format', 'out'] },
};

function gtinOf(o: Options): string {
  const text = required(o.f, 'gtin');
  const gtin = normalizeGtin(text);
  if (gtin === null) throw new UsageError(`--gtin must be a GTIN (8, 12, 13 or 14 digits with a valid check digit), not "${text}"`);
  return gtin;
}

function gs1TextOf(o: Options, name: 'lot' | 'serial'): string {
  const text = required(o.f, name);
  if (!SERIAL_PATTERN.test(text)) throw new UsageError(`--${name} must be 1–20 characters of the GS1 character set 82, as printed after ${name === 'lot' ? 'LOT' : 'SN'}, not "${text}"`);
  return text;
}

async function sign(o: Options): Promise<void> {
  const gtin = gtinOf(o);
  const lot = gs1TextOf(o, 'lot');
  const client = clientOf(o.f);
  const bar = progressBar('signing', 'labels');
  let r;
  try {
    r = await signAndRegisterBatchLabels(client, gtin, lot, (done, total) => bar.update(done, total));
  } finally {
    bar.stop();
  }
  if (o.json) return void console.log(JSON.stringify(r));
  console.log(
    `Labels of batch ${r.gtin} / ${lot} signed with ${r.kid}: ${r.registered} registered, ${r.replaced} replaced, ${r.unchanged} already registered (of ${r.total} packs)` +
      (r.total > 0 ? `\n  print them with labels sheet --gtin ${r.gtin} --lot ${lot} --out FILE.html` : ''),
  );
}

async function sheet(o: Options): Promise<void> {
  const gtin = gtinOf(o);
  const lot = gs1TextOf(o, 'lot');
  const out = required(o.f, 'out');
  const client = clientOf(o.f);
  const { total, body } = await downloadLabelSheet(client, gtin, lot);
  const file = createWriteStream(out);
  const bar = progressBar('sheet', 'labels');
  let labels = 0;
  let tail = '';
  const decoder = new TextDecoder();
  try {
    bar.update(0, total);
    for await (const bytes of body) {
      // Backpressure: wait for the file to drain before reading more from the server.
      if (!file.write(bytes)) await once(file, 'drain');
      const text = tail + decoder.decode(bytes, { stream: true });
      labels += (text.match(/class="pack-label"/g) ?? []).length;
      tail = text.slice(Math.max(text.lastIndexOf('class="pack-label"') + 1, text.length - 20));
      bar.update(labels, total);
    }
  } finally {
    bar.stop();
    file.end();
    await once(file, 'close');
  }
  if (labels !== total) throw new Error(`the sheet ended after ${labels} of ${total} labels; run labels sheet again`);
  if (o.json) return void console.log(JSON.stringify({ gtin, lot, labels, out }));
  console.log(`Wrote ${labels} label(s) of batch ${gtin} / ${lot} to ${out} (20 to an A4 page; print at 100% scale)`);
}

async function pack(o: Options): Promise<void> {
  const gtin = gtinOf(o);
  const serial = gs1TextOf(o, 'serial');
  const format = required(o.f, 'format');
  if (format !== 'svg' && format !== 'png') throw new UsageError(`--format must be svg or png, not "${format}"`);
  const out = required(o.f, 'out');
  const bytes = await downloadLabel(clientOf(o.f), gtin, serial, format);
  writeFileSync(out, bytes);
  if (o.json) return void console.log(JSON.stringify({ gtin, serial, format, bytes: bytes.length, out }));
  console.log(`Wrote the ${format.toUpperCase()} label of pack ${gtin} / ${serial} to ${out} (${bytes.length} bytes)`);
}

const RUN: Record<string, (o: Options) => Promise<void>> = { sign, sheet, pack };

export async function labelsCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') return void console.log(`usage:\n${LABELS_USAGE}\nEach subcommand takes --help.`);
  const run = sub !== undefined && Object.hasOwn(RUN, sub) ? RUN[sub] : undefined;
  if (!run) throw new UsageError(`unknown command labels ${sub ?? ''}; try labels --help`);
  const o = parseOptions(rest, { ...SPECS[sub], strings: ['server', 'key', ...(SPECS[sub].strings ?? [])] });
  if (o.help) return void console.log(HELP[sub]);
  return run(o);
}
