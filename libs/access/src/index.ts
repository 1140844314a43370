export * from './viewer';
export * from './access-policy.service';
export * from './access.module';
export * from './asset-visibility.adapter';
