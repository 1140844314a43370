export * from './event-hash-id';
export * from './epcis-schema';
export { normaliseGs1Identifier } from './dl-normaliser';
