// Where each recalled pack stands, as a regulator follows a recall to its end: pure bucketing of the
// aggregate rows recall progress reads (one per state × custodian × transit recipient × manufacturer).
import { CustodianProgress, MAX_PROGRESS_CUSTODIANS, PROGRESS_BUCKETS, ProgressBucket, ProgressCounts } from './trace-views';

export interface PackGroup {
  /** The packs' own state. */
  state: string;
  /** Custodian of their outermost container. */
  custodianId: string;
  /** Recipient of the open shipment they travel in; null when not in transit. */
  transitTo: string | null;
  /** Manufacturer of their batch: where recalled goods go back to (DESIGN.md "Pack states"). */
  manufacturerId: string;
  /**
   * Held by their manufacturer (not in transit), and each had left it: it, or a container it was inside at
   * the time, was in a shipment from the manufacturer (in transit or received; refused and voided shipments
   * leave the goods with the sender). False for everything else.
   */
  leftManufacturer: boolean;
  /**
   * Each was shipped to its current custodian by the manufacturer itself (it, or a container holding it at
   * the time): what a manufacturer's direct-customer line may count (AccessPolicy.directCustomerPacks).
   */
  shippedToCustodian: boolean;
  packs: number;
}

/** States of goods still in the supply chain: a recall turns them `recalled` (RECALLABLE_PACK_STATES). */
export const IN_CHAIN_STATES: readonly string[] = ['recalled', 'active', 'in_transit', 'quarantined', 'locked', 'expired'];
const IN_CHAIN = new Set(IN_CHAIN_STATES);

/**
 * The bucket of a group of packs:
 * - `inTransitToManufacturer` / `inTransitElsewhere`: still in the chain, in an open shipment to the batch's
 *   manufacturer / to anyone else;
 * - `returned`: still in the chain, held by the manufacturer, and had left it (shipped by it, then came back);
 * - `neverShipped`: still in the chain, held by the manufacturer, never shipped by it;
 * - `inChain`: still in the chain, held by anyone else;
 * - `destroyed`; `dispensedBeforeRecall`: supplied to a patient (EU FMD `supplied`, legacy `dispensed`);
 * - `other`: stolen, lost, exported, samples, consumed.
 */
export function progressBucket(g: Omit<PackGroup, 'packs' | 'shippedToCustodian'>): ProgressBucket {
  if (g.state === 'destroyed') return 'destroyed';
  if (g.state === 'supplied' || g.state === 'dispensed') return 'dispensedBeforeRecall';
  if (!IN_CHAIN.has(g.state)) return 'other';
  if (g.transitTo !== null) return g.transitTo === g.manufacturerId ? 'inTransitToManufacturer' : 'inTransitElsewhere';
  if (g.custodianId !== g.manufacturerId) return 'inChain';
  return g.leftManufacturer ? 'returned' : 'neverShipped';
}

/** A manufacturer's view of its recall: itself, and the direct customers it may see named. */
export interface ManufacturerView {
  self: string;
  customers: ReadonlySet<string>;
}

/**
 * The line a group of packs is counted on: the custodian for a regulator (`view` null). For a manufacturer,
 * its own line for what it holds; a direct customer's line only for packs the manufacturer shipped to that
 * customer itself and that the customer still holds (in the chain, not on its way to anyone but the
 * manufacturer); null — the aggregated "elsewhere" line — for everything else, so that no line tells the
 * manufacturer what its customers bought from others, sold on, dispensed or destroyed.
 */
export function lineOf(g: Omit<PackGroup, 'packs'>, view: ManufacturerView | null): string | null {
  if (view === null || g.custodianId === view.self) return g.custodianId;
  const stillHeld = IN_CHAIN.has(g.state) && (g.transitTo === null || g.transitTo === g.manufacturerId);
  return view.customers.has(g.custodianId) && g.shippedToCustodian && stillHeld ? g.custodianId : null;
}

export function emptyCounts(): ProgressCounts {
  const counts = { total: 0 } as ProgressCounts;
  for (const b of PROGRESS_BUCKETS) counts[b] = 0;
  return counts;
}

function add(counts: ProgressCounts, bucket: ProgressBucket, packs: number): void {
  counts[bucket] += packs;
  counts.total += packs;
}

export interface ParticipantName {
  name: string;
  gln: string;
}

/**
 * Totals and one line per custodian (lineOf), the `max` lines with the most packs first (then by participant
 * id); lines beyond are left out and counted (`byCustodianOmitted`). A manufacturer's aggregated line
 * (participantId null, named "elsewhere") comes last, on top of the `max`.
 */
export function progressByCustodian(
  groups: PackGroup[],
  names: Map<string, ParticipantName>,
  view: ManufacturerView | null,
  max: number = MAX_PROGRESS_CUSTODIANS,
): { totals: ProgressCounts; byCustodian: CustodianProgress[]; byCustodianOmitted: number } {
  const totals = emptyCounts();
  const lines = new Map<string, CustodianProgress>();
  let elsewhere: CustodianProgress | null = null;
  for (const g of groups) {
    const bucket = progressBucket(g);
    add(totals, bucket, g.packs);
    const id = lineOf(g, view);
    if (id === null) {
      elsewhere ??= { participantId: null, name: 'elsewhere', gln: null, ...emptyCounts() };
      add(elsewhere, bucket, g.packs);
      continue;
    }
    let line = lines.get(id);
    if (!line) {
      const n = names.get(id);
      line = { participantId: id, name: n?.name ?? '', gln: n?.gln ?? null, ...emptyCounts() };
      lines.set(id, line);
    }
    add(line, bucket, g.packs);
  }
  const sorted = [...lines.values()].sort((a, b) => b.total - a.total || (a.participantId ?? '').localeCompare(b.participantId ?? ''));
  const byCustodian = sorted.slice(0, max);
  if (elsewhere) byCustodian.push(elsewhere);
  return { totals, byCustodian, byCustodianOmitted: sorted.length - Math.min(sorted.length, max) };
}
