export * from './auth.service';
export * from './auth.module';
