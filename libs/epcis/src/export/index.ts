export * from './epcis-identifiers';
export * from './epcis-event-mapping';
export * from './epcis-document';
