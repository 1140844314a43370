// The EPCIS 2.0 JSON-LD EPCISDocument of a list of stored ledger events (EPCIS 2.0 §9.2, JSON binding).
// Framework-free.
import { epcisEventHashId } from '../event-hash-id';
import { EPCIS_DOCUMENT_CONTEXT } from './epcis-identifiers';
import { EpcisEvent, EpcisMappingLookups, StoredLedgerEvent, toEpcisEvent } from './epcis-event-mapping';

export interface EpcisDocument {
  '@context': typeof EPCIS_DOCUMENT_CONTEXT;
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
}

/**
 * The EPCIS 2.0 events of `stored` (in the order given; types with no EPCIS counterpart are left out), each with
 * `eventID` = its CBV 2.0 event hash ID (`ni:///sha-256;<hex>?ver=CBV2.0`, computed over the event as exported).
 */
export function toEpcisEvents(stored: readonly StoredLedgerEvent[], look: EpcisMappingLookups): EpcisEvent[] {
  const out: EpcisEvent[] = [];
  for (const s of stored) {
    const event = toEpcisEvent(s, look);
    if (!event) continue;
    out.push({ ...event, eventID: epcisEventHashId(event, EPCIS_DOCUMENT_CONTEXT) });
  }
  return out;
}

/** An EPCISDocument (`schemaVersion` 2.0, `creationDate` = `now` in UTC) carrying `events`. */
export function epcisDocument(events: EpcisEvent[], now: Date = new Date()): EpcisDocument {
  return {
    '@context': EPCIS_DOCUMENT_CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: now.toISOString(),
    epcisBody: { eventList: events },
  };
}
