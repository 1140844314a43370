// A logger (or an operator) of the subject's custodian uploads temperature readings for an item or a
// shipment. Readings touch no item chain (assets: []), so continuous uploads never collide with custody
// events on the same items; the subject is evaluated by the worker after the upload commits.
//
// Every limit on one event (readings per event, offsets, temperatures, sizes of fields) is checked in
// `parse`, so it holds whichever mutation carries the event (recordReadings, submitEvent, submitEvents)
// and before the log is locked. The limit on a whole upload (events per call) is `maxPerCall`, which the pipeline applies to any mutation.
//
// What is stored is not all that counts: the evaluation judges only readings inside the subject's custody
// window (see evaluation/window-sources.ts). An event none of whose readings could ever count because
// they were all taken after a shipment closed is refused (READINGS_OUTSIDE_CUSTODY); a late upload of
// readings taken in transit is accepted and counts. Readings taken before the window opened (a logger's
// buffer from before the goods arrived) are stored and shown as not counted.
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { isUtcTimestamp } from '@pharmatrace/ledger-core/validation';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import {
  ColdChainEventTypes,
  MAX_READING_C,
  MAX_READING_OFFSET_SECONDS,
  MAX_READINGS_EVENTS_PER_UPLOAD,
  MAX_READINGS_PER_EVENT,
  MIN_READING_C,
  READING_SUBJECT_PATTERN,
  ReadingsRecordedData,
  ReadingTuple,
} from '../cold-chain-events';
import { ShipmentRow, subjectParties } from '../custody-parties';
import { insertReadings, markPending } from '../readings.store';

/** Roles that hold goods; regulators and prescribers never have custody. */
const CUSTODIAN_ROLES = ['supplier', 'manufacturer', 'wholesaler', 'pharmacy'] as const;

const bad = (path: string, message: string): never => {
  throw new DomainError('INVALID_EVENT_DATA', `${path} ${message}.`, { path });
};

/** Readings are [secondsFromStart, celsius] pairs, strictly later one after another. */
export function readReadings(value: unknown): ReadingTuple[] {
  const path = 'data.readings';
  if (!Array.isArray(value)) return bad(path, 'must be an array of [secondsFromStart, celsius] pairs');
  if (value.length === 0) bad(path, 'must have at least 1 reading');
  if (value.length > MAX_READINGS_PER_EVENT) bad(path, `must have at most ${MAX_READINGS_PER_EVENT} readings (split larger uploads into several events of one batch)`);
  let last = -1;
  return value.map((pair: unknown, i): ReadingTuple => {
    const p = `${path}[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) return bad(p, 'must be a pair [secondsFromStart, celsius]');
    const [offset, celsius] = pair as unknown[];
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > MAX_READING_OFFSET_SECONDS) {
      bad(`${p}[0]`, `must be whole seconds from start, 0 to ${MAX_READING_OFFSET_SECONDS}`);
    }
    if (typeof celsius !== 'number' || !Number.isFinite(celsius) || celsius < MIN_READING_C || celsius > MAX_READING_C) {
      bad(`${p}[1]`, `must be a temperature in °C between ${MIN_READING_C} and ${MAX_READING_C}`);
    }
    if ((offset as number) <= last) bad(`${p}[0]`, `must be later than the reading before it (${last} s)`);
    last = offset as number;
    return [offset as number, celsius as number];
  });
}

/**
 * A shipment's readings count only while it is in transit. Once it is received, refused or voided, an
 * event whose readings were all taken after that could never count: it is refused, with what to do
 * instead. Readings taken in transit are accepted whenever they arrive (a logger read out at the dock).
 */
function requireSomeInTransit(subject: string, s: ShipmentRow, signerId: string, start: string, readings: ReadingTuple[]): void {
  if (s.closedAt === null) return;
  const first = Date.parse(start) + readings[0][0] * 1000;
  if (first < Date.parse(s.closedAt)) return;
  const closed = s.state === 'received' ? `received by ${s.toId}` : s.state === 'refused' ? `refused by ${s.toId}` : `voided by ${s.fromId}`;
  const custodian = s.state === 'received' ? s.toId : s.fromId;
  const instead =
    custodian === signerId
      ? 'Record readings taken since then on the items themselves (their sgtin:… or sscc:… ids).'
      : `Since then the goods have been in the custody of ${custodian}, not yours: upload only readings taken before ${s.closedAt}.`;
  throw new DomainError(
    'READINGS_OUTSIDE_CUSTODY',
    `${subject} was ${closed} at ${s.closedAt}, and every reading in this event was taken after that (the first at ${new Date(first).toISOString()}); a shipment's readings count only while it is in transit. ${instead}`,
    { subject, closedAt: s.closedAt, firstReadingAt: new Date(first).toISOString() },
  );
}

export const readingsRecordedRule: EventRule<ReadingsRecordedData> = {
  type: ColdChainEventTypes.readingsRecorded,
  roles: CUSTODIAN_ROLES,
  maxPerCall: MAX_READINGS_EVENTS_PER_UPLOAD,
  parse(event) {
    // The pairs have no shape in EventDataReader: they are checked by readReadings, the rest by the reader.
    const { readings: rawReadings, ...rest } = event.data;
    const r = EventDataReader.of(rest);
    r.version([1]);
    const subject = r.string('subject', {
      max: 200,
      pattern: READING_SUBJECT_PATTERN,
      hint: 'must be the asset id of an item or shipment (sgtin:…, sscc:…, ingredient-lot:… or shipment:…)',
    });
    const start = r.string('start', { max: 30 });
    if (!isUtcTimestamp(start)) bad('data.start', 'must be a UTC time written as YYYY-MM-DDTHH:MM:SS.sssZ');
    r.done();
    const readings = readReadings(rawReadings);
    if (event.assets.length !== 0) {
      throw new DomainError('INVALID_EVENT_DATA', 'Readings touch no item chain: the event must list no assets (assets: []).');
    }
    // The upload cannot predate what it reports; `at` itself is held within the clock skew of server time.
    const lastAt = Date.parse(start) + readings[readings.length - 1][0] * 1000;
    if (lastAt > Date.parse(event.at)) {
      throw new DomainError(
        'READING_IN_FUTURE',
        `data.readings[${readings.length - 1}] is taken at ${new Date(lastAt).toISOString()}, after the event's time ${event.at}; check the logger's clock.`,
        { path: `data.readings[${readings.length - 1}]` },
      );
    }
    return { ...event, data: { v: 1, subject, start, readings } } as EventEnvelope<ReadingsRecordedData>;
  },
  async apply({ manager: m, event, seq, signer }) {
    const { subject, start, readings } = event.data;
    const keys: Array<{ kind: string }> = await m.query('SELECT kind FROM participant_keys WHERE kid = $1', [signer.kid]);
    if (keys[0]?.kind === 'terminal') {
      throw new DomainError('KEY_KIND_NOT_ALLOWED', `Key ${signer.kid} is a terminal key; readings are signed by a logger key (or an operator key) of the custodian.`);
    }
    const parties = await subjectParties(m, subject);
    const me = signer.participantId;
    if (parties.kind === 'unknown') {
      throw subject.startsWith('shipment:')
        ? new DomainError('UNKNOWN_SHIPMENT', `No shipment ${subject} exists.`)
        : new DomainError('UNKNOWN_ITEM', `No item ${subject} is registered.`, { item: subject });
    }
    if (parties.kind === 'item' && parties.custodianId !== me) {
      throw new DomainError('NOT_CUSTODIAN', `${subject} is in the custody of ${parties.custodianId}; only its custodian's loggers may record its temperatures.`, { item: subject });
    }
    if (parties.kind === 'shipment' && parties.shipment.fromId !== me && parties.shipment.toId !== me) {
      throw new DomainError('NOT_CUSTODIAN', `Only the sender or the recipient of ${subject} may record its temperatures.`);
    }
    if (parties.kind === 'shipment') requireSomeInTransit(subject, parties.shipment, me, start, readings);
    const stored = await insertReadings(m, { subject, kid: signer.kid, start, readings, seq });
    if (stored.conflictAt) {
      throw new DomainError(
        'READING_CONFLICT',
        `A reading of ${subject} at ${stored.conflictAt} by key ${signer.kid} was already recorded with a different value; a logger cannot change a reading it sent.`,
      );
    }
    await markPending(m, subject, seq);
    const last = readings[readings.length - 1][0];
    return {
      subject,
      readings: readings.length,
      recorded: stored.inserted,
      from: start,
      to: new Date(Date.parse(start) + last * 1000).toISOString(),
    };
  },
};
