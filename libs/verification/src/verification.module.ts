import { Module } from '@nestjs/common';
import { AccessModule } from '@pharmatrace/access';
import { PackVerifier } from './pack-verifier.service';

/** One verdict for every scan (DESIGN.md): the pharmacy counter, the patient's QR page, the DSCSA responder. */
@Module({ imports: [AccessModule], providers: [PackVerifier], exports: [PackVerifier] })
export class VerificationModule {}
