// Public surface of ledger-core. Everything reachable from here runs in a browser too; the
// node:crypto verifier is imported separately as '@pharmatrace/ledger-core/node-crypto-verifier'.
export * from './errors';
export * from './encoding';
export * from './canonical';
export * from './hash';
export * from './keys';
export * from './envelope';
export * from './merkle';
export * from './block-header';
export { domainSeparatedMessage } from './signing-message';
export * from './sign-in';
export * from './pack-label';
export { findControlCharacter, findUnstorableText, isUtcTimestamp, type ControlCharacter } from './validation';
