// A small supply chain for the patient-page suites: participants registered with their towns, packs
// delivered to a pharmacy, and helpers that open the pack's Digital Link over real HTTP as a browser
// (HTML) and as an app (JSON).
import { packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import { formatPackDigitalLink, isoToGs1Date } from '@pharmatrace/gs1';
import { fromBase64Url, signPackLabel } from '@pharmatrace/ledger-core';
import type { ParticipantRole } from '@pharmatrace/ledger/participant-roles';
import { commissionPacks, generateKeyFile, keySpecOf, PharmaTraceClient, receive, registerParticipant, ship } from '@pharmatrace/sdk';
import type { PackReport } from '@pharmatrace/verification';
import type { TestServer } from './test-server';
import { LICENCE, uniqueGln } from './test-network';

export interface Pack {
  gtin: string;
  serial: string;
  lot: string;
  expiresOn: string;
  id: string;
}

/** A browser's Accept header (Firefox's default). */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** Registers a participant with a town, through the SDK as a regulator does. */
export async function joinWithTown(server: TestServer, regulator: PharmaTraceClient, role: ParticipantRole, id: string, town: string): Promise<PharmaTraceClient> {
  const key = generateKeyFile(`${id} operator`, 'operator', id);
  await registerParticipant(regulator, { id, legalName: `${id} Ltd`, role, gln: uniqueGln(), town, licence: LICENCE, keys: [keySpecOf(key)] });
  return new PharmaTraceClient(server.url, key);
}

/** Commissions `count` packs (or the given serials) of `batch`, ships them to `to` and receives them there. */
export async function deliveredPacks(server: TestServer, maker: PharmaTraceClient, batch: string, countOrSerials: number | string[], to: PharmaTraceClient): Promise<Pack[]> {
  const { gtin, lot } = parseBatchAssetId(batch)!;
  const [{ expires_on }]: Array<{ expires_on: string }> = await server.runtime.dataSource.query(`SELECT to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM batches WHERE id = $1`, [batch]);
  const { serials } = await commissionPacks(maker, batch, countOrSerials);
  const packs = serials.map((serial) => ({ gtin, serial, lot, expiresOn: expires_on, id: packAssetId(gtin, serial) }));
  const { shipment } = await ship(maker, to.participantId, packs.map((p) => p.id));
  await receive(to, shipment);
  return packs;
}

/** The pack's canonical link on the test server, signed with the manufacturer's key when `maker` is given. */
export function packLink(server: TestServer, p: Pack, maker?: PharmaTraceClient, over: { lot?: string; expiresOn?: string } = {}): string {
  const fields = { gtin: p.gtin, lot: over.lot ?? p.lot, serial: p.serial, expiresOn: over.expiresOn ?? p.expiresOn };
  if (!maker) return formatPackDigitalLink(server.url, fields);
  const kid = maker.key.kid;
  const signature = signPackLabel({ gtin: fields.gtin, lot: fields.lot, serial: fields.serial, expiry: isoToGs1Date(fields.expiresOn), kid }, fromBase64Url(maker.key.secretKey));
  return formatPackDigitalLink(server.url, fields, { signature, kid });
}

export interface Opened<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** The link as an app opens it: `Accept: application/json`. */
export async function openJson<T = PackReport>(url: string, headers: Record<string, string> = {}): Promise<Opened<T>> {
  const res = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

/** The link as a phone's browser opens it. */
export async function openPage(url: string, headers: Record<string, string> = {}): Promise<Opened<string>> {
  const res = await fetch(url, { headers: { accept: BROWSER_ACCEPT, ...headers } });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#96;': '`', '&#61;': '=' };

/** What a person reads on the page: the text of <main>, tags removed, entities decoded, spaces collapsed. */
export function readable(page: string): string {
  const main = page.slice(page.indexOf('<main>'), page.indexOf('</main>'));
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(?:amp|lt|gt|quot|#39|#96|#61);/g, (e) => ENTITIES[e])
    .replace(/\s+/g, ' ')
    .trim();
}

/** The page's first heading: the verdict in words. */
export function headline(page: string): string {
  const match = /<h1>([\s\S]*?)<\/h1>/.exec(page);
  return match ? readable(`<main>${match[1]}</main>`) : '';
}

export const scanCount = async (server: TestServer): Promise<number> =>
  Number((await server.runtime.dataSource.query('SELECT count(*)::int AS n FROM pack_scans'))[0].n);
