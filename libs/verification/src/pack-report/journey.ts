// The pack's journey for the public page: each custodian in order (the pack's own shipments and its
// containers' while it was inside, read by the backward trace), named with role and town, and the supply
// to a patient. Deliberately without shipment ids, prices, patient pseudonyms or prescriptions, and
// without naming pharmacies: a pharmacy is "a pharmacy in <town>", so that the public page does not tell a
// manufacturer (or anyone) which pharmacy holds or supplied a pack (DESIGN.md "Who may read what": EU
// repositories do not show a manufacturer which pharmacy dispensed its pack).
import type { EntityManager } from 'typeorm';
import type { BackwardTraceService } from '@pharmatrace/tracing';
import type { JourneyStep } from './pack-report.types';

/** Stored pack states after which the pack left the supply chain at a pharmacy (EU FMD "supplied"). */
const SUPPLIED_STATES = new Set(['dispensed', 'supplied']);

interface ParticipantRow {
  id: string;
  legal_name: string;
  role: string;
  town: string | null;
}

/** Roles shown by role and town only, never by name. */
const UNNAMED_ROLES = new Set(['pharmacy']);

/** The name the public page shows: the legal name, or "a pharmacy" for a pharmacy. */
const shownName = (role: string, legalName: string): string => (UNNAMED_ROLES.has(role) ? `a ${role}` : legalName);

function describe(kind: JourneyStep['kind'], role: string, name: string, town: string | null): string {
  if (UNNAMED_ROLES.has(role)) {
    const where = town ? `${name} in ${town}` : name;
    return kind === 'supplied' ? `Supplied to a patient by ${where}` : `Held by ${where}`;
  }
  const placed = town ? `${name}, ${town}` : name;
  if (kind === 'supplied') return `Supplied to a patient by ${placed}`;
  if (kind === 'made') return `Made and registered by ${placed}`;
  return `Held by ${placed} (${role})`;
}

/**
 * The journey of `packId`, from the commissioning to today (the public page's view: no horizon), at most
 * MAX_BACKWARD_CUSTODIANS steps plus the supply. `state` is the pack's stored state.
 */
export async function readJourney(m: EntityManager, trace: BackwardTraceService, packId: string, state: string): Promise<JourneyStep[]> {
  const traced = await trace.trace(packId, { throughSeq: Number.MAX_SAFE_INTEGER, currentState: false });
  const supply = SUPPLIED_STATES.has(state) ? await latestSupply(m, packId) : null;
  const ids = [...new Set([...traced.custodians.map((c) => c.participantId), ...(supply ? [supply.actor] : [])])];
  const rows: ParticipantRow[] = await m.query('SELECT id, legal_name, role, town FROM participants WHERE id = ANY($1::text[])', [ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const steps: JourneyStep[] = traced.custodians.map((c, index) => {
    const p = byId.get(c.participantId);
    const kind: JourneyStep['kind'] = index === 0 && c.arrivedBy === null ? 'made' : 'held';
    const role = p?.role ?? '';
    const name = shownName(role, p?.legal_name ?? c.name);
    const town = p?.town ?? null;
    return { kind, participantName: name, role, town, from: c.since, to: c.until, description: describe(kind, role, name, town) };
  });
  if (supply) {
    const p = byId.get(supply.actor);
    const name = shownName(p?.role ?? 'pharmacy', p?.legal_name ?? supply.actor);
    const town = p?.town ?? null;
    const last = steps[steps.length - 1];
    if (last && last.to === null) last.to = supply.at;
    steps.push({ kind: 'supplied', participantName: name, role: p?.role ?? 'pharmacy', town, from: supply.at, to: null, description: describe('supplied', 'pharmacy', name, town) });
  }
  return steps;
}

/** The latest `dispensing.supplied` event on the pack itself: who supplied it, and when (signed `at`). */
async function latestSupply(m: EntityManager, packId: string): Promise<{ actor: string; at: string } | null> {
  const [row]: Array<{ actor: string; at: Date }> = await m.query(
    `SELECT e.actor, e.at FROM event_assets a JOIN ledger_events e ON e.seq = a.seq
      WHERE a.asset_id = $1 AND e.type = 'dispensing.supplied' ORDER BY a.seq DESC LIMIT 1`,
    [packId],
  );
  return row ? { actor: row.actor, at: new Date(row.at).toISOString() } : null;
}
