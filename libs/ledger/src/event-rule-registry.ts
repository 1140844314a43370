import { Injectable, Logger } from '@nestjs/common';
import { EventData } from '@pharmatrace/ledger-core';
import { AssetVisibility, EventRule, SignerDirectory } from './event-rule';
import type { StoredReceipt } from './event-log.store';

/**
 * Told of the events a transaction appended, once it has committed (never of refused or duplicate ones):
 * how a domain starts follow-up work, e.g. queueing an evaluation. Must not throw or block.
 */
export type AppendedListener = (appended: readonly StoredReceipt[]) => void;

/** Domain modules register their event rules and the signer directory here when they start. */
@Injectable()
export class EventRuleRegistry {
  private readonly rules = new Map<string, EventRule>();
  private directory: SignerDirectory | null = null;
  private visibility: AssetVisibility | null = null;
  private readonly listeners: AppendedListener[] = [];
  private readonly log = new Logger(EventRuleRegistry.name);

  register<D extends EventData>(rule: EventRule<D>): void {
    if (this.rules.has(rule.type)) throw new Error(`Event rule ${rule.type} is registered twice`);
    this.rules.set(rule.type, rule as unknown as EventRule);
  }

  onAppended(listener: AppendedListener): void {
    this.listeners.push(listener);
  }

  /** Called by the pipeline after commit. A failing listener is logged: the events are accepted regardless. */
  appended(receipts: readonly StoredReceipt[]): void {
    for (const listener of this.listeners) {
      try {
        listener(receipts);
      } catch (e) {
        this.log.error(`An appended-events listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  useSignerDirectory(directory: SignerDirectory): void {
    this.directory = directory;
  }

  /** Set by the read-access module in the API; without it (worker, CLI) every head counts as visible. */
  useAssetVisibility(visibility: AssetVisibility): void {
    this.visibility = visibility;
  }

  assetVisibility(): AssetVisibility | null {
    return this.visibility;
  }

  rule(type: string): EventRule | undefined {
    return this.rules.get(type);
  }

  types(): string[] {
    return [...this.rules.keys()].sort();
  }

  signers(): SignerDirectory {
    if (!this.directory) throw new Error('No signer directory registered: import ParticipantsModule');
    return this.directory;
  }
}
