// Catalog and custody from the command line, through the SDK: what a site without an integrated system
// (a small supplier, a pharmacy's back office) runs by hand.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { CONTROLLED_CLASSES, ControlledClass, MAX_SERIALS_PER_EVENT, packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import {
  commissionPacks, DisposalKind, incomingShipments, item, itemHistory, pack, PharmaTraceApiError, PharmaTraceClient, readKeyFile, receive, refuse, registerBatch,
  registerIngredientLot, registerProduct, reportDisposal, ship, shipment, unpack,
} from '@pharmatrace/sdk';
import { countFlag, decimalFlag, Flags, flags, required, UsageError } from '../args';
import { formatList, listFlag, optionalListFlag } from '../item-lists';
import { noteAtomicCall } from '../progress-bar';

const client = (f: Flags) => new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key')));
const list = listFlag;
const num = decimalFlag;
const print = (value: unknown) => console.log(JSON.stringify(value));

/** The `--json` switch (no value) and the remaining flags. */
function jsonSwitch(args: string[]): { json: boolean; rest: string[] } {
  return { json: args.includes('--json'), rest: args.filter((a) => a !== '--json') };
}

export const CUSTODY_USAGE = `  product register --server URL --key FILE --gtin GTIN14 --name N --ingredient I --strength S --form F
                   --min-c C --max-c C --max-minutes-out M [--max-mkt C] [--controlled none|CI..CV]
  lot register --server URL --key FILE --number N --material M --quantity Q --unit kg|g|L|mL|units
               --certificate FILE --issuer I --country CC --issued-on YYYY-MM-DD
  batch register --server URL --key FILE --gtin GTIN14 --lot L --manufactured D --expires D --quantity N [--ingredient-lots a,b]
  commission --server URL --key FILE --batch ID (--count N | --serials a,b | --serials-file F) [--out FILE]
             --out FILE gets the new packs' item ids (sgtin:<gtin14>.<serial>), one a line: give it as
             --items-file to pack, ship, dispose or quarantine release
  pack|unpack --server URL --key FILE --container sscc:… [--kind case|pallet] [--new] (--items a,b | --items-file F)
  ship --server URL --key FILE --to PARTICIPANT (--items a,b | --items-file F)
  receive --server URL --key FILE --shipment ID;  refuse … --shipment ID --reason R
  dispose --server URL --key FILE --kind destroyed|stolen|lost (--items a,b | --items-file F) --reason R
  history --server URL --key FILE --item ID
  item --server URL --key FILE --item ID [--json];  shipment … --shipment ID [--json]
  incoming --server URL --key FILE [--json]   shipments addressed to you, waiting to be received or refused
  lists (a,b and the files F): entries separated by commas or line breaks, never by spaces, each trimmed;
             an entry holding a comma is quoted as in CSV ("AB,C"); only trailing empty entries are ignored`;

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
      const lots = optionalListFlag(f, 'ingredient-lots');
      return print(
        await registerBatch(client(f), { gtin: required(f, 'gtin'), lot: required(f, 'lot'), manufacturedOn: required(f, 'manufactured'), expiresOn: required(f, 'expires'), quantity: num(f, 'quantity') }, lots),
      );
    }
    case 'commission': {
      const f = flags(args, [...base, 'batch', 'count', 'serials', 'serials-file', 'out']);
      const batch = required(f, 'batch');
      const parsed = parseBatchAssetId(batch);
      if (!parsed) throw new UsageError(`--batch must be a batch id, batch:<gtin14>/<lot>, not "${batch}"`);
      if (f.count !== undefined && (f.serials !== undefined || f['serials-file'] !== undefined)) {
        throw new UsageError('give --count or --serials/--serials-file, not both');
      }
      if (f.out === '') throw new UsageError('--out needs a file name');
      const serials = f.count !== undefined ? countFlag(f, 'count') : list(f, 'serials');
      const count = typeof serials === 'number' ? serials : serials.length;
      noteAtomicCall(`commission: submitting ${count.toLocaleString('en')} packs in ${Math.ceil(count / MAX_SERIALS_PER_EVENT)} signed events, in one atomic call…`);
      const r = await commissionPacks(client(f), batch, serials);
      // Item ids, not bare serials: the file is what pack, ship, dispose and quarantine release take as --items-file.
      if (f.out) writeFileSync(f.out, formatList(r.serials.map((s) => packAssetId(parsed.gtin, s))));
      return print({ events: r.receipts.length, packs: r.serials.length, itemsFile: f.out ?? null });
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
        console.log(`${h.at}\t#${h.seq}\t${h.type}\tby ${h.actor}\tvia ${h.via}\tsignature ${h.signature}\tblock ${h.blockHeight ?? 'pending'}`);
      }
      return;
    }
    case 'item': {
      const { json, rest } = jsonSwitch(args);
      const f = flags(rest, [...base, 'item']);
      const id = required(f, 'item');
      const found = await item(client(f), id);
      if (!found) throw new PharmaTraceApiError('NOT_FOUND', `No item ${id} that you may see: it does not exist, or you neither hold it nor are it on its way to you.`);
      if (json) return print(found);
      console.log(`${found.id}\t${found.kind}\t${found.state}\theld by ${found.custodianId}${found.parentId ? `\tinside ${found.parentId}` : ''}${found.inTransitOn ? `\tin transit on ${found.inTransitOn}` : ''}`);
      return;
    }
    case 'shipment': {
      const { json, rest } = jsonSwitch(args);
      const f = flags(rest, [...base, 'shipment']);
      const id = required(f, 'shipment');
      const found = await shipment(client(f), id);
      if (!found) throw new PharmaTraceApiError('NOT_FOUND', `No shipment ${id} that you may see: only its sender, its recipient and regulators see a shipment.`);
      if (json) return print(found);
      console.log(`${found.id}\t${found.state}\tfrom ${found.fromId} to ${found.toId}\t${found.items.length} item(s)`);
      for (const i of found.items) console.log(`  ${i}`);
      return;
    }
    case 'incoming': {
      const { json, rest } = jsonSwitch(args);
      const f = flags(rest, base);
      const waiting = await incomingShipments(client(f));
      if (json) return print(waiting);
      if (waiting.length === 0) console.log('No shipment is waiting for you.');
      for (const s of waiting) console.log(`${s.id}\tfrom ${s.fromId}\t${s.items.length} item(s)\treceive: … receive --shipment ${s.id}`);
      return;
    }
    default:
      throw new UsageError(`unknown custody command: ${verb}`);
  }
}
