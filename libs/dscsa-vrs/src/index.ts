export * from './vrs-answer';
export * from './vrs-request';
export * from './vrs-tokens.service';
export * from './vrs-requests.service';
export * from './vrs-responder.service';
export * from './dscsa-vrs.module';
