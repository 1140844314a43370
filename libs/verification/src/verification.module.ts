import { Module } from '@nestjs/common';
import { AccessModule } from '@pharmatrace/access';
import { LedgerModule } from '@pharmatrace/ledger';
import { TracingModule } from '@pharmatrace/tracing';
import { PackVerifier } from './pack-verifier.service';
import { PackReportService } from './pack-report/pack-report.service';

/** One verdict for every scan (DESIGN.md): the pharmacy counter, the patient's QR page, the DSCSA responder. */
@Module({ imports: [AccessModule, LedgerModule, TracingModule], providers: [PackVerifier, PackReportService], exports: [PackVerifier, PackReportService] })
export class VerificationModule {}
