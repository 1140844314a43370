import { Module } from '@nestjs/common';
import { PackLabelReads } from './pack-label-reads.service';
import { PackLabelsService } from './pack-labels.service';

/** Pack labels (docs/pack-labels.md): registering the manufacturer's label signatures and reading them for printing. */
@Module({ providers: [PackLabelsService, PackLabelReads], exports: [PackLabelsService, PackLabelReads] })
export class LabelsModule {}
