export * from './epcis-import-mapping';
