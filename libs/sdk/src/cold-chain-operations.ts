// The cold chain as a logger's gateway or a manufacturer's QA system drives it: uploads of signed
// readings (split into events of at most 1,000 readings, sent in one atomic call), the temperature
// history with its verdicts, and release from quarantine.
import { SignedEvent } from '@pharmatrace/ledger-core';
import {
  ColdChainEventTypes,
  MAX_READINGS_EVENTS_PER_UPLOAD,
  MAX_READINGS_PER_EVENT,
  ReadingsRecordedData,
  ReadingTuple,
  ReleasedData,
} from '@pharmatrace/cold-chain/cold-chain-events';
import { Receipt, RECEIPT_FIELDS } from './api-types';
import { PharmaTraceClient } from './pharmatrace-client';

export interface ReadingInput {
  /** When it was taken; whole seconds within one upload (offsets are whole seconds). */
  at: Date | string;
  celsius: number;
}

/** Most readings one call uploads (ten events of 1,000): bigger logs are several calls. */
export const MAX_READINGS_PER_CALL = MAX_READINGS_EVENTS_PER_UPLOAD * MAX_READINGS_PER_EVENT;

/** Signs readings of one subject as events of at most 1,000 readings; each event counts from its first reading. */
export function signReadings(client: PharmaTraceClient, subject: string, readings: ReadingInput[]): SignedEvent<ReadingsRecordedData>[] {
  const times = readings.map((r) => (r.at instanceof Date ? r.at.getTime() : Date.parse(r.at)));
  const events: SignedEvent<ReadingsRecordedData>[] = [];
  for (let i = 0; i < readings.length; i += MAX_READINGS_PER_EVENT) {
    const start = times[i];
    const chunk: ReadingTuple[] = readings.slice(i, i + MAX_READINGS_PER_EVENT).map((r, k) => [Math.round((times[i + k] - start) / 1000), r.celsius]);
    const data: ReadingsRecordedData = { v: 1, subject, start: new Date(start).toISOString(), readings: chunk };
    events.push(client.sign({ type: ColdChainEventTypes.readingsRecorded, assets: [], data }));
  }
  return events;
}

/**
 * Uploads up to 10,000 readings of an item or shipment in one atomic call. Refused as a whole with
 * BATCH_REJECTED, whose details.readings give the position of each bad reading in `readings`.
 */
export async function recordReadings(client: PharmaTraceClient, subject: string, readings: ReadingInput[]): Promise<Receipt[]> {
  if (readings.length === 0) throw new Error('recordReadings needs at least one reading.');
  if (readings.length > MAX_READINGS_PER_CALL) throw new Error(`One call uploads at most ${MAX_READINGS_PER_CALL} readings; split the log into several calls.`);
  return recordSignedReadings(client, signReadings(client, subject, readings));
}

/** Uploads already signed readings events (e.g. signed by a logger device), atomically. */
export async function recordSignedReadings(client: PharmaTraceClient, events: SignedEvent[]): Promise<Receipt[]> {
  const r = await client.query<{ recordReadings: Receipt[] }>(`mutation($i: [SignedEventInput!]!) { recordReadings(input: $i) { ${RECEIPT_FIELDS} } }`, { i: events });
  return r.recordReadings;
}

/** Releases quarantined items: the manufacturer of their products, or a regulator. */
export async function releaseQuarantine(client: PharmaTraceClient, items: string[], reason: string): Promise<Receipt> {
  const data: ReleasedData = { v: 1, items, reason };
  const signed = await client.signWithHeads(ColdChainEventTypes.released, items, data);
  const r = await client.query<{ releaseQuarantine: Receipt }>(`mutation($i: SignedEventInput!) { releaseQuarantine(input: $i) { ${RECEIPT_FIELDS} } }`, { i: signed });
  return r.releaseQuarantine;
}

export interface TemperatureEvaluationView {
  subject: string;
  gtin: string;
  windowFrom: string | null;
  windowTo: string | null;
  readings: number;
  minutesOutOfRange: number;
  worstC: number | null;
  mktC: number | null;
  verdict: 'within_policy' | 'broken' | 'no_readings';
  breaches: string[];
  reasons: string[];
  evaluatedAt: string;
  quarantineHash: string | null;
}

export interface TemperatureHistoryView {
  subject: string;
  verdict: 'within_policy' | 'broken' | 'no_readings' | 'not_evaluated';
  readingCount: number;
  readings: Array<{ takenAt: string; celsius: number; loggerKid: string; uploadSeq: number }>;
  evaluationPending: boolean;
  items: Array<{ id: string; state: string; stateReason: string | null }>;
  evaluations: TemperatureEvaluationView[];
}

const HISTORY_FIELDS =
  'subject verdict readingCount readings { takenAt celsius loggerKid uploadSeq } evaluationPending items { id state stateReason } ' +
  'evaluations { subject gtin windowFrom windowTo readings minutesOutOfRange worstC mktC verdict breaches reasons evaluatedAt quarantineHash }';

export async function temperatureHistory(client: PharmaTraceClient, subject: string, options: { after?: string; first?: number } = {}): Promise<TemperatureHistoryView> {
  const r = await client.query<{ temperatureHistory: TemperatureHistoryView }>(
    `query($s: String!, $a: String, $f: Int) { temperatureHistory(subject: $s, after: $a, first: $f) { ${HISTORY_FIELDS} } }`,
    { s: subject, a: options.after ?? null, f: options.first ?? 1000 },
  );
  return r.temperatureHistory;
}
