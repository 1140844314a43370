import { Module } from '@nestjs/common';
import { AccessModule } from '@pharmatrace/access';
import { VerificationModule } from '@pharmatrace/verification';
import { VrsRequestLog } from './vrs-requests.service';
import { VrsResponder } from './vrs-responder.service';
import { VrsTokenService } from './vrs-tokens.service';

/** The DSCSA verification responder (GS1 US Lightweight Messaging; docs/dscsa-vrs.md): tokens, answers, the request log. */
@Module({ imports: [AccessModule, VerificationModule], providers: [VrsTokenService, VrsRequestLog, VrsResponder], exports: [VrsTokenService, VrsRequestLog, VrsResponder] })
export class DscsaVrsModule {}
