// INACTIVE_PACK_DECOMMISSIONED (EMVS alert A24, "pack already inactive"): a pharmacy tried to supply or
// decommission a pack the chain says is already inactive (supplied, destroyed, stolen, a sample, …). The pack in
// its hands carries a serial that already left the supply chain: a copy is likely (clone_suspected).
// Every refused attempt raises it (or adds to the open one). clone_suspected — the verdict says SUSPECTED_CLONE
// once the manufacturer or a regulator takes the alert up (under_investigation) — only when someone other than the
// pack's custodian tried (refused NOT_IN_CUSTODY): the custodian is the location that made the pack inactive, and
// its own second scan may be a double scan or a dispense it is about to undo (the NMVS answers that location "pack
// already in the requested state"); it may also be a copy in its stock, so the manufacturer and the regulators are
// told and investigate, but the pack's verdict is not blocked.

/** The dispensing refusals (libs/dispensing decommission-checks REFUSAL) that mean "this pack is already inactive". */
export const INACTIVE_REFUSALS = ['ALREADY_SUPPLIED', 'DESTROYED', 'STOLEN', 'LOCKED', 'EXPORTED', 'SAMPLE', 'FREE_SAMPLE', 'LOST'] as const;
export type InactiveRefusal = (typeof INACTIVE_REFUSALS)[number];

export function isInactiveRefusal(code: unknown): code is InactiveRefusal {
  return typeof code === 'string' && (INACTIVE_REFUSALS as readonly string[]).includes(code);
}

/** The refusal code of each inactive pack state (libs/dispensing decommission-checks; custody_items.state). */
const STATE_REFUSAL: Record<string, InactiveRefusal> = {
  supplied: 'ALREADY_SUPPLIED',
  dispensed: 'ALREADY_SUPPLIED',
  destroyed: 'DESTROYED',
  stolen: 'STOLEN',
  locked: 'LOCKED',
  exported: 'EXPORTED',
  sample: 'SAMPLE',
  free_sample: 'FREE_SAMPLE',
  lost: 'LOST',
};

/**
 * What a refused attempt by `participantId` at a pack in `state` held by `custodianId` raises: null while the pack
 * is active (a custody question, not A24); else the refusal code of its state, and whether a clone is suspected
 * (the attempt was not its custodian's).
 */
export function counterAttemptRefusal(pack: { state: string; custodianId: string }, participantId: string): { refusal: InactiveRefusal; cloneSuspected: boolean } | null {
  const refusal = STATE_REFUSAL[pack.state];
  if (refusal === undefined) return null;
  return { refusal, cloneSuspected: pack.custodianId !== participantId };
}

/** One refused attempt at the counter. */
export interface CounterAttempt {
  refusal: InactiveRefusal;
  /** The pharmacy (or other custodian) that tried: shown to regulators only (docs/access-model.md). */
  participantId: string;
  at: Date;
}

/** Most attempts an alert's evidence lists (the count `attempts` is complete). */
export const MAX_EVIDENCE_ATTEMPTS = 20;

/**
 * The evidence of the alert after `attempt`, given the open alert's evidence (`previous`, or null for a new one):
 * `attempts` counted, `refusals` and `participants` (distinct), the latest MAX_EVIDENCE_ATTEMPTS attempts listed,
 * `first` and `last` times.
 */
export function inactivePackDecommissioned(attempt: CounterAttempt, previous: Record<string, unknown> | null, cloneSuspected = true) {
  const listed = Array.isArray(previous?.list) ? (previous.list as Array<{ refusal: string; participantId: string; at: string }>) : [];
  const list = [...listed, { refusal: attempt.refusal, participantId: attempt.participantId, at: attempt.at.toISOString() }].slice(-MAX_EVIDENCE_ATTEMPTS);
  const attempts = (typeof previous?.attempts === 'number' ? previous.attempts : 0) + 1;
  const union = (key: string, value: string): string[] => [...new Set([...(Array.isArray(previous?.[key]) ? (previous[key] as string[]) : []), value])].sort();
  return {
    kind: 'INACTIVE_PACK_DECOMMISSIONED' as const,
    cloneSuspected,
    evidence: {
      attempts,
      refusals: union('refusals', attempt.refusal),
      participants: union('participants', attempt.participantId),
      first: typeof previous?.first === 'string' ? previous.first : attempt.at.toISOString(),
      last: attempt.at.toISOString(),
      list,
    },
  };
}

/** What a manufacturer reads of this evidence: EU FMD art. 38 — never which pharmacy handled its pack. */
export function withoutPharmacies(evidence: Record<string, unknown>): Record<string, unknown> {
  const { participants, list, ...rest } = evidence;
  return {
    ...rest,
    ...(Array.isArray(participants) ? { participantCount: participants.length } : {}),
    ...(Array.isArray(list) ? { list: (list as Array<Record<string, unknown>>).map(({ participantId: _hidden, ...a }) => a) } : {}),
  };
}
