// Signs coldchain.quarantined with the ledger's own key and submits it through the pipeline as a system
// event (no caller), like any other event: checked, chained on each item, logged and sealed. Items move
// on concurrently (a custody event between reading the heads and appending), so it retries on a stale
// prev, and drops items that meanwhile left a quarantinable state.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { signEvent } from '@pharmatrace/ledger-core';
import { EventPipeline, EventReceipt, LedgerKey, LedgerReader, SYSTEM_ACTOR } from '@pharmatrace/ledger';
import { isDomainError } from '@pharmatrace/errors';
import { ColdChainEventTypes, MAX_QUARANTINE_ITEMS, QuarantinedData, QuarantineFigures } from '../cold-chain-events';
import { itemStates } from './evaluation.store';

/** Injection token of the ledger key in the worker (the API never loads it). */
export const COLD_CHAIN_LEDGER_KEY = Symbol('COLD_CHAIN_LEDGER_KEY');

const MAX_ATTEMPTS = 6;
/** Refusals that mean "the items changed under us": read them again and retry with what is left. */
const RETRYABLE = new Set(['STALE_PREV', 'ALREADY_QUARANTINED', 'ITEM_NOT_AVAILABLE']);

export interface IssuedQuarantine {
  receipt: EventReceipt;
  items: string[];
}

@Injectable()
export class QuarantineIssuer {
  private readonly log = new Logger(QuarantineIssuer.name);

  constructor(
    private readonly pipeline: EventPipeline,
    private readonly reader: LedgerReader,
    private readonly dataSource: DataSource,
    @Inject(COLD_CHAIN_LEDGER_KEY) private readonly key: LedgerKey,
  ) {}

  /** Quarantines those of `items` still active or in transit; one receipt per event, with the items it named. */
  async quarantine(items: string[], reason: string, evaluation: QuarantineFigures): Promise<IssuedQuarantine[]> {
    const receipts: IssuedQuarantine[] = [];
    for (let i = 0; i < items.length; i += MAX_QUARANTINE_ITEMS) {
      const receipt = await this.quarantineChunk(items.slice(i, i + MAX_QUARANTINE_ITEMS), reason, evaluation);
      if (receipt) receipts.push(receipt);
    }
    return receipts;
  }

  private async quarantineChunk(items: string[], reason: string, evaluation: QuarantineFigures): Promise<IssuedQuarantine | null> {
    for (let attempt = 1; ; attempt++) {
      const states = await itemStates(this.dataSource.manager, items);
      const open = items.filter((id) => states.get(id) === 'active' || states.get(id) === 'in_transit');
      if (open.length === 0) return null;
      const heads = await this.reader.heads(open);
      const data: QuarantinedData = { v: 1, items: open, reason, evaluation };
      const signed = signEvent(
        {
          type: ColdChainEventTypes.quarantined,
          id: `quarantine-${randomUUID()}`,
          actor: SYSTEM_ACTOR,
          kid: this.key.kid,
          at: new Date().toISOString(),
          assets: open.map((id) => ({ id, prev: heads.get(id) ?? null })),
          data,
        },
        this.key.secretKey,
      );
      try {
        return { receipt: await this.pipeline.submitOne(signed), items: open };
      } catch (e) {
        if (!isDomainError(e) || !RETRYABLE.has(e.code) || attempt >= MAX_ATTEMPTS) throw e;
        this.log.debug(`Quarantine of ${open.length} item(s) refused with ${e.code}; reading them again (attempt ${attempt}).`);
      }
    }
  }
}
