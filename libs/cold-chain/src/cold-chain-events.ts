// Event types and payloads (data version 1) of the cold chain. Framework-free: the SDK builds these
// payloads and the server checks them with one definition.
import type { ExcursionBreach } from './excursion-evaluation';

export const ColdChainEventTypes = {
  readingsRecorded: 'coldchain.readings_recorded',
  quarantined: 'coldchain.quarantined',
  released: 'coldchain.released',
} as const;

/** Most readings one event carries; an upload of 10,000 is ten events in one atomic batch. */
export const MAX_READINGS_PER_EVENT = 1000;
/** Most events one upload call carries (10,000 readings): the log is locked while a batch is applied. */
export const MAX_READINGS_EVENTS_PER_UPLOAD = 10;
/** Most items one quarantine or release names (an event touches at most 1,000 assets). */
export const MAX_QUARANTINE_ITEMS = 999;
/** Offsets are whole seconds from `start`, within a year: a logger uploads far more often than that. */
export const MAX_READING_OFFSET_SECONDS = 366 * 24 * 3600;
/** Physically plausible range for a medicine's surroundings; anything else is a broken sensor or a typo. */
export const MIN_READING_C = -100;
export const MAX_READING_C = 100;

/** What readings can be attached to: a serialised pack, a case or pallet (SSCC), an ingredient lot, or a shipment. */
export const READING_SUBJECT_PATTERN = /^(sgtin:\d{14}\.[^\s]{1,20}|sscc:\d{18}|ingredient-lot:[^\s]{1,150}|shipment:[^\s]{1,150})$/;
/** Items that can be quarantined and released: packs and logistic units. */
export const QUARANTINE_ITEM_PATTERN = /^(sgtin:\d{14}\.[^\s]{1,20}|sscc:\d{18})$/;

/** One reading: whole seconds after `start`, and degrees Celsius. */
export type ReadingTuple = [secondsFromStart: number, celsius: number];

export type ReadingsRecordedData = {
  v: 1;
  /** Asset id of the item or shipment the readings were taken for. */
  subject: string;
  /** UTC time the offsets count from. */
  start: string;
  readings: ReadingTuple[];
};

export interface QuarantineFigures {
  /** What the readings that broke the policy were attached to (the item itself, its container or shipment). */
  subject: string;
  product: string;
  policy: { minC: number; maxC: number; maxMinutesOutOfRange: number; maxMktC: number | null };
  window: { from: string; to: string };
  readings: number;
  minutesOutOfRange: number;
  worstC: number;
  mktC: number;
  breaches: ExcursionBreach[];
}

export type QuarantinedData = { v: 1; items: string[]; reason: string; evaluation: QuarantineFigures };
export type ReleasedData = { v: 1; items: string[]; reason: string };
