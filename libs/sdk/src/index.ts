export * from './api-types';
export * from './event-signer';
export * from './graphql-client';
export * from './key-file';
export * from './participant-operations';
export * from './pharmatrace-client';
export * from './uuidv7';
