// An audit source held in memory: for the engine's own tests and for replaying an exported ledger.
import type { AuditSource, LedgerKeyRecord, SourceBlock, SourceEvent } from './audit-source';

export class MemoryAuditSource implements AuditSource {
  readonly description = 'memory';
  readonly pageSize = 100;

  constructor(
    readonly eventList: SourceEvent[],
    readonly blockList: SourceBlock[],
    readonly keys: LedgerKeyRecord[],
    readonly live = false,
  ) {}

  async events(afterSeq: number, limit: number): Promise<SourceEvent[]> {
    return this.eventList.filter((e) => e.seq > afterSeq).slice(0, limit);
  }

  async blocks(afterHeight: number, limit: number): Promise<SourceBlock[]> {
    return this.blockList.filter((b) => b.header.height > afterHeight).slice(0, limit);
  }

  async ledgerKeys(): Promise<LedgerKeyRecord[]> {
    return this.keys;
  }
}
