import { Injectable } from '@nestjs/common';
import { EventData } from '@pharmatrace/ledger-core';
import { EventRule, SignerDirectory } from './event-rule';

/** Domain modules register their event rules and the signer directory here when they start. */
@Injectable()
export class EventRuleRegistry {
  private readonly rules = new Map<string, EventRule>();
  private directory: SignerDirectory | null = null;

  register<D extends EventData>(rule: EventRule<D>): void {
    if (this.rules.has(rule.type)) throw new Error(`Event rule ${rule.type} is registered twice`);
    this.rules.set(rule.type, rule as unknown as EventRule);
  }

  useSignerDirectory(directory: SignerDirectory): void {
    this.directory = directory;
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
