// Catalog and custody from the command line, through the SDK: what a site without an integrated system
// (a small supplier, a pharmacy's back office) runs by hand.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { CONTROLLED_CLASSES, ControlledClass } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks, DisposalKind, itemHistory, pack, PharmaTraceClient, readKeyFile, receive, refuse, registerBatch,
  registerIngredientLot, registerProduct, reportDisposal, ship, unpack,
} from '@pharmatrace/sdk';
import { Flags, flags, required, UsageError } from '../args';

const client = (f: Flags) => new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key')));
const list = (f: Flags, name: string): string[] => {
  const file = f[`${name}-file`];
  const raw = file ? readFileSync(file, 'utf8') : required(f, name);
  return raw.split(/[\s,]+/).filter((s) => s.length > 0);
};
const num = (f: Flags, name: string): number => {
  const v = Number(required(f, name));
  if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number`);
  return v;
};
const print = (value: unknown) => console.log(JSON.stringify(value));

export const CUSTODY_USAGE = `  product register --server URL --key FILE --gtin GTIN14 --name N --ingredient I --strength S --form F
                   --min-c C --max-c C --max-minutes-out M [--max-mkt C] [--controlled none|CI..CV]
  lot register --server URL --key FILE --number N --material M --quantity Q --unit kg|g|L|mL|units
               --certificate FILE --issuer I --country CC --issued-on YYYY-MM-DD
  batch register --server URL --key FILE --gtin GTIN14 --lot L --manufactured D --expires D --quantity N [--ingredient-lots a,b]
  commission --server URL --key FILE --batch ID (--count N | --serials a,b | --serials-file F) [--out FILE]
  pack|unpack --server URL --key FILE --container sscc:… [--kind case|pallet] [--new] (--items a,b | --items-file F)
  ship --server URL --key FILE --to PARTICIPANT (--items a,b | --items-file F)
  receive --server URL --key FILE --shipment ID;  refuse … --shipment ID --reason R
  dispose --server URL --key FILE --kind destroyed|stolen|lost (--items a,b | --items-file F) --reason R
  history --server URL --key FILE --item ID`;

export async function custodyCommand(command: string, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const verb = ['product', 'lot', 'batch'].includes(command) ? `${command} ${sub ?? ''}` : command;
  const args = ['product', 'lot', 'batch'].includes(command) ? rest : argv;
  const base = ['server', 'key'];
  switch (verb) {
    case 'product register': {
      const f = flags(args, [...base, 'gtin', 'name', 'ingredient', 'strength', 'form', 'min-c', 'max-c', 'max-minutes-out', 'max-mkt', 'controlled']);
      const controlled = (f.controlled ?? 'none') as ControlledClass;
      if (!CONTROLLED_CLASSES.includes(controlled)) throw new UsageError(`--controlled must be one of ${CONTROLLED_CLASSES.join(', ')}`);
      return print(
        await registerProduct(client(f), {
          gtin: required(f, 'gtin'), name: required(f, 'name'), activeIngredient: required(f, 'ingredient'), strength: required(f, 'strength'), form: required(f, 'form'),
          storage: { minC: num(f, 'min-c'), maxC: num(f, 'max-c') },
          excursionPolicy: { maxMinutesOutOfRange: num(f, 'max-minutes-out'), maxMktC: f['max-mkt'] === undefined ? null : num(f, 'max-mkt') },
          controlledClass: controlled,
        }),
      );
    }
    case 'lot register': {
      const f = flags(args, [...base, 'number', 'material', 'quantity', 'unit', 'certificate', 'issuer', 'country', 'issued-on']);
      const sha256 = createHash('sha256').update(readFileSync(required(f, 'certificate'))).digest('hex');
      return print(
        await registerIngredientLot(client(f), {
          number: required(f, 'number'), material: required(f, 'material'), quantity: num(f, 'quantity'), unit: required(f, 'unit'),
          certificate: { sha256, issuer: required(f, 'issuer'), countryOfOrigin: required(f, 'country'), issuedOn: required(f, 'issued-on') },
        }),
      );
    }
    case 'batch register': {
      const f = flags(args, [...base, 'gtin', 'lot', 'manufactured', 'expires', 'quantity', 'ingredient-lots']);
      const lots = f['ingredient-lots'] ? f['ingredient-lots'].split(',') : [];
      return print(
        await registerBatch(client(f), { gtin: required(f, 'gtin'), lot: required(f, 'lot'), manufacturedOn: required(f, 'manufactured'), expiresOn: required(f, 'expires'), quantity: num(f, 'quantity') }, lots),
      );
    }
    case 'commission': {
      const f = flags(args, [...base, 'batch', 'count', 'serials', 'serials-file', 'out']);
      const serials = f.count !== undefined ? num(f, 'count') : list(f, 'serials');
      const r = await commissionPacks(client(f), required(f, 'batch'), serials);
      if (f.out) writeFileSync(f.out, `${r.serials.join('\n')}\n`);
      return print({ events: r.receipts.length, packs: r.serials.length, serialsFile: f.out ?? null });
    }
    case 'pack':
    case 'unpack': {
      const f = { ...flags(args.filter((a) => a !== '--new'), [...base, 'container', 'kind', 'items', 'items-file']) };
      const items = list(f, 'items');
      if (verb === 'unpack') return print(await unpack(client(f), required(f, 'container'), items));
      const kind = required(f, 'kind');
      if (kind !== 'case' && kind !== 'pallet') throw new UsageError('--kind must be case or pallet');
      return print(await pack(client(f), { id: required(f, 'container'), kind }, items, { newContainer: args.includes('--new') }));
    }
    case 'ship': {
      const f = flags(args, [...base, 'to', 'items', 'items-file']);
      return print(await ship(client(f), required(f, 'to'), list(f, 'items')));
    }
    case 'receive':
    case 'refuse': {
      const f = flags(args, [...base, 'shipment', 'reason']);
      return print(verb === 'receive' ? await receive(client(f), required(f, 'shipment')) : await refuse(client(f), required(f, 'shipment'), required(f, 'reason')));
    }
    case 'dispose': {
      const f = flags(args, [...base, 'kind', 'items', 'items-file', 'reason']);
      const kind = required(f, 'kind') as DisposalKind;
      if (!['destroyed', 'stolen', 'lost'].includes(kind)) throw new UsageError('--kind must be destroyed, stolen or lost');
      return print(await reportDisposal(client(f), kind, list(f, 'items'), required(f, 'reason')));
    }
    case 'history': {
      const f = flags(args, [...base, 'item']);
      for (const h of await itemHistory(client(f), required(f, 'item'))) {
        console.log(`#${h.seq}\t${h.type}\tby ${h.actor}\tvia ${h.via}\tsignature ${h.signature}\tblock ${h.blockHeight ?? 'pending'}`);
      }
      return;
    }
    default:
      throw new UsageError(`unknown custody command: ${verb}`);
  }
}
