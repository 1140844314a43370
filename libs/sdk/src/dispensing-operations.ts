// Dispensing as a pharmacy's counter system drives it: the pack scans are parsed here, on the client (GS1
// element strings with or without a symbology identifier, Digital Link URIs, or typed fields), the packs'
// heads are read, and the event is signed with the pharmacy's key and submitted through its mutation.
import { parsePackScan, PackScanInput } from '@pharmatrace/gs1';
import { CustodyEventTypes, DisposalData, packAssetId } from '@pharmatrace/custody/custody-events';
import { DecommissionedData, DecommissionKind, DispensingEventTypes, SuppliedData, UndoneData } from '@pharmatrace/dispensing/dispensing-events';
import { Receipt, RECEIPT_FIELDS } from './api-types';
import { PharmaTraceApiError } from './graphql-client';
import { PharmaTraceClient } from './pharmatrace-client';

export type { DecommissionKind } from '@pharmatrace/dispensing/dispensing-events';

async function call(client: PharmaTraceClient, mutation: 'dispense' | 'decommission' | 'undoDecommission', signed: unknown): Promise<Receipt> {
  const r = await client.query<Record<string, Receipt>>(`mutation($i: SignedEventInput!) { ${mutation}(input: $i) { ${RECEIPT_FIELDS} } }`, { i: signed });
  return r[mutation];
}

/**
 * The pack asset id of a scan (or typed fields): `sgtin:<gtin14>.<serial>`. An unreadable scan is refused
 * here, before anything is sent, with the parser's code (INVALID_SCAN, INVALID_GTIN, …) and sentence.
 */
export function packIdOfScan(scan: PackScanInput): string {
  return parsedScan(scan).id;
}

/** The pack asset id of a scan, and the lot and expiry its code carried (null where it had none). */
function parsedScan(scan: PackScanInput): { id: string; lot: string | null; expiry: string | null } {
  const parsed = parsePackScan(scan);
  if (!parsed.ok) throw new PharmaTraceApiError(parsed.code, parsed.message);
  return { id: packAssetId(parsed.pack.gtin.padStart(14, '0'), parsed.pack.serial), lot: parsed.pack.lot, expiry: parsed.pack.expiry };
}

export interface DispenseSpec {
  /** The prescription id (from the patient's e-prescription token). */
  prescription: string;
  /** The patient pseudonym from the same token. */
  patient: string;
  /** What the counter scanned, one per pack handed over. */
  scans: PackScanInput[];
}

/**
 * Dispenses the scanned packs against a prescription (dispensing.supplied); the receipt's result says how many
 * remain. The lot and expiry each code carried travel with it (`scanned`), and are checked against the pack's.
 */
export async function dispense(client: PharmaTraceClient, spec: DispenseSpec): Promise<Receipt> {
  const parsed = spec.scans.map(parsedScan);
  const packs = parsed.map((p) => p.id);
  const twice = packs.find((p, i) => packs.indexOf(p) !== i);
  if (twice) throw new PharmaTraceApiError('INVALID_EVENT_DATA', `Pack ${twice} is scanned twice; hand each pack over once.`);
  const scanned = parsed.map(({ lot, expiry }) => ({ lot, expiry }));
  const data: SuppliedData = { v: 1, prescription: spec.prescription, patient: spec.patient, packs, scanned };
  return call(client, 'dispense', await client.signWithHeads(DispensingEventTypes.supplied, packs, data));
}

/** Every decommission a pharmacy or wholesaler signs: the EU FMD kinds, and destroyed or stolen (custody events, final). */
export type AnyDecommissionKind = DecommissionKind | 'destroyed' | 'stolen';

/** Decommissions packs you hold: sample, free_sample, locked, exported (undoable), or destroyed, stolen (final). */
export async function decommission(client: PharmaTraceClient, kind: AnyDecommissionKind, packs: string[], reason: string): Promise<Receipt> {
  if (kind === 'destroyed' || kind === 'stolen') {
    const data: DisposalData = { v: 1, items: packs, reason };
    const type = kind === 'destroyed' ? CustodyEventTypes.destroyed : CustodyEventTypes.reportedStolen;
    return call(client, 'decommission', await client.signWithHeads(type, packs, data));
  }
  const data: DecommissionedData = { v: 1, kind, packs, reason };
  return call(client, 'decommission', await client.signWithHeads(DispensingEventTypes.decommissioned, packs, data));
}

/**
 * Undoes your own decommission (its receipt's hash) for `packs` (all of them, or some: each pack once), within
 * the configured window from its acceptance (locked: any time).
 */
export async function undoDecommission(client: PharmaTraceClient, undoes: string, packs: string[]): Promise<Receipt> {
  const data: UndoneData = { v: 1, undoes, packs };
  return call(client, 'undoDecommission', await client.signWithHeads(DispensingEventTypes.undone, packs, data));
}

/** Undoes your own dispense (its receipt's hash) for `packs`: they are active again and the prescription gets them back. */
export function undoDispense(client: PharmaTraceClient, dispensed: string, packs: string[]): Promise<Receipt> {
  return undoDecommission(client, dispensed, packs);
}
