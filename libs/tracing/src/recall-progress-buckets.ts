// Where each recalled pack stands, as a regulator follows a recall to its end: pure bucketing of the
// aggregate rows recall progress reads (one per state × custodian × transit recipient × manufacturer).
import { CustodianProgress, PROGRESS_BUCKETS, ProgressBucket, ProgressCounts } from './trace-views';

export interface PackGroup {
  /** The packs' own state. */
  state: string;
  /** Custodian of their outermost container. */
  custodianId: string;
  /** Recipient of the open shipment they travel in; null when not in transit. */
  transitTo: string | null;
  /** Manufacturer of their batch: where recalled goods go back to (DESIGN.md "Pack states"). */
  manufacturerId: string;
  packs: number;
}

/** States of goods still in the supply chain: a recall turns them `recalled` (RECALLABLE_PACK_STATES). */
const IN_CHAIN_STATES = new Set(['recalled', 'active', 'in_transit', 'quarantined', 'locked', 'expired']);

/**
 * The bucket of a group of packs:
 * - `inTransitToManufacturer` / `inTransitElsewhere`: still in the chain, in an open shipment to the batch's
 *   manufacturer / to anyone else;
 * - `returned`: still in the chain, held by the manufacturer (returned, or never shipped);
 * - `inChain`: still in the chain, held by anyone else;
 * - `destroyed`; `dispensedBeforeRecall`: supplied to a patient (EU FMD `supplied`, legacy `dispensed`);
 * - `other`: stolen, lost, exported, samples, consumed.
 */
export function progressBucket(g: Omit<PackGroup, 'packs'>): ProgressBucket {
  if (g.state === 'destroyed') return 'destroyed';
  if (g.state === 'supplied' || g.state === 'dispensed') return 'dispensedBeforeRecall';
  if (!IN_CHAIN_STATES.has(g.state)) return 'other';
  if (g.transitTo !== null) return g.transitTo === g.manufacturerId ? 'inTransitToManufacturer' : 'inTransitElsewhere';
  return g.custodianId === g.manufacturerId ? 'returned' : 'inChain';
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
 * Totals and one line per custodian. Custodians not in `named` (when given: a manufacturer's view, its
 * direct customers and itself) are summed into one line with participantId null, named "elsewhere".
 */
export function progressByCustodian(
  groups: PackGroup[],
  names: Map<string, ParticipantName>,
  named: Set<string> | null,
): { totals: ProgressCounts; byCustodian: CustodianProgress[] } {
  const totals = emptyCounts();
  const lines = new Map<string, CustodianProgress>();
  let elsewhere: CustodianProgress | null = null;
  for (const g of groups) {
    const bucket = progressBucket(g);
    add(totals, bucket, g.packs);
    if (named !== null && !named.has(g.custodianId)) {
      elsewhere ??= { participantId: null, name: 'elsewhere', gln: null, ...emptyCounts() };
      add(elsewhere, bucket, g.packs);
      continue;
    }
    let line = lines.get(g.custodianId);
    if (!line) {
      const n = names.get(g.custodianId);
      line = { participantId: g.custodianId, name: n?.name ?? '', gln: n?.gln ?? null, ...emptyCounts() };
      lines.set(g.custodianId, line);
    }
    add(line, bucket, g.packs);
  }
  const byCustodian = [...lines.values()].sort((a, b) => b.total - a.total || (a.participantId ?? '').localeCompare(b.participantId ?? ''));
  if (elsewhere) byCustodian.push(elsewhere);
  return { totals, byCustodian };
}
