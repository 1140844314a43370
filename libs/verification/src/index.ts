export * from './pack-verdict';
export * from './pack-scan';
export * from './pack-verifier.service';
export * from './verification.module';
export * from './pack-report';
