// Event types and payloads (data version 1) of dispensing and the other EU FMD decommissions, and the
// rules that depend on the data alone. Framework-free: the SDK builds these payloads, the server checks
// them, and the audit replays them with one definition (DESIGN.md "Pack states", "Prescriptions and dispensing").

export const DispensingEventTypes = {
  /** CBV bizStep dispensing; EU FMD "supplied": packs handed to a patient against a prescription. */
  supplied: 'dispensing.supplied',
  /** The other EU FMD decommissions a pharmacy or wholesaler signs: sample, free sample, locked, exported. */
  decommissioned: 'dispensing.decommissioned',
  /** Undo of a supply or decommission by the participant that signed it: the packs are active again. */
  undone: 'dispensing.undone',
} as const;

/** Kinds of `dispensing.decommissioned`; destroyed and stolen stay custody.destroyed / custody.reported_stolen. */
export const DECOMMISSION_KINDS = ['sample', 'free_sample', 'locked', 'exported'] as const;
export type DecommissionKind = (typeof DECOMMISSION_KINDS)[number];
/** Every decommission a `dispensing.undone` may undo (the pack state each one sets has the same name). */
export type UndoableKind = 'supplied' | DecommissionKind;

/** Who dispenses: pharmacies only. Who decommissions otherwise (and undoes): pharmacies and wholesalers. */
export const DISPENSING_ROLES = ['pharmacy'] as const;
export const DECOMMISSIONING_ROLES = ['pharmacy', 'wholesaler'] as const;

/** Most packs one dispense, decommission or undo names. */
export const MAX_PACKS_PER_DECOMMISSION = 100;
/** Undo window default (EU FMD: 10 days); `locked` has no limit (its undo is an unlock). */
export const DEFAULT_DECOMMISSION_UNDO_DAYS = 10;

/** A serialised pack's asset id, `sgtin:<gtin14>.<serial>`. */
export const PACK_ASSET_ID_PATTERN = /^sgtin:\d{14}\.[\x21-\x7e]{1,20}$/;
/** An event hash: SHA-256 as 64 lowercase hex characters. */
export const EVENT_HASH_PATTERN = /^[0-9a-f]{64}$/;

export type SuppliedData = {
  v: 1;
  /** The prescription's id (without the `prescription:` prefix), as the patient's e-prescription token carries it. */
  prescription: string;
  /** The patient pseudonym from the token; must be the prescription's. */
  patient: string;
  /** Pack asset ids; the event's assets are exactly these, with their prevs. */
  packs: string[];
  /**
   * Optional, parallel to `packs` (same length, same order): the lot (GS1 AI 10) and expiry (AI 17, as
   * YYYY-MM-DD) each pack's code carried when scanned, null where the code had none. Judged like the counter
   * scan: a lot or expiry that is not the pack's refuses the dispense (BATCH_MISMATCH, EXPIRY_MISMATCH, UNKNOWN_BATCH).
   */
  scanned?: ScannedPackFields[];
};

/** What a pack's code carried besides GTIN and serial, as scanned at the counter. */
export interface ScannedPackFields {
  lot: string | null;
  expiry: string | null;
}

export type DecommissionedData = { v: 1; kind: DecommissionKind; packs: string[]; reason: string };

export type UndoneData = {
  v: 1;
  /** Hash of the dispensing.supplied or dispensing.decommissioned event undone. */
  undoes: string;
  /** Packs put back: a subset of that event's packs, each undone at most once. */
  packs: string[];
};

/** The last day (UTC, inclusive) a decommission accepted at `acceptedAt` may be undone, or null when it never lapses (locked). */
export function undoDeadline(kind: UndoableKind, acceptedAt: Date, days: number): Date | null {
  if (kind === 'locked') return null;
  return new Date(acceptedAt.getTime() + days * 86_400_000);
}
