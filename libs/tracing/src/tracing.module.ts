import { Module } from '@nestjs/common';
import { BackwardTraceService } from './backward-trace.service';
import { ForwardTraceService } from './forward-trace.service';
import { RecallProgressService } from './recall-progress.service';

/** Tracing (DESIGN.md "Recalls and tracing"): forward and backward traces and recall progress; reads only. */
@Module({ providers: [ForwardTraceService, BackwardTraceService, RecallProgressService], exports: [ForwardTraceService, BackwardTraceService, RecallProgressService] })
export class TracingModule {}
