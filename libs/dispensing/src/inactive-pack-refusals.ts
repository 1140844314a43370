// Tells listeners (libs/scan-alerts: the EMVS A24 alert) when the counter tried to supply or decommission a pack
// the chain says is already inactive — refused with the inactive state's code (the custodian's own attempt), or
// NOT_IN_CUSTODY (a participant that does not hold the pack: the listener looks at the pack's state). The refusal
// rolls the event's transaction back, so listeners run after the refusal has left the rule, on their own
// connection, and never change the answer the signer gets.
import { Injectable, Logger } from '@nestjs/common';
import type { EventData } from '@pharmatrace/ledger-core';
import { EventRule } from '@pharmatrace/ledger';
import { isDomainError } from '@pharmatrace/errors';

/** Verdict reasons that mean "already inactive" (decommission-checks REFUSAL; EMVS A24). */
export const INACTIVE_PACK_REASONS: ReadonlySet<string> = new Set(['ALREADY_SUPPLIED', 'DESTROYED', 'STOLEN', 'LOCKED', 'EXPORTED', 'SAMPLE', 'FREE_SAMPLE', 'LOST']);

export interface InactivePackRefusal {
  /** `sgtin:<GTIN-14>.<serial>` */
  packId: string;
  /** The verdict reason (the refusal's error code), e.g. ALREADY_SUPPLIED, or NOT_IN_CUSTODY. */
  reason: string;
  /** Who tried. */
  participantId: string;
  at: Date;
}

export type InactivePackRefusalListener = (refusal: InactivePackRefusal) => Promise<unknown>;

@Injectable()
export class InactivePackRefusals {
  private readonly log = new Logger(InactivePackRefusals.name);
  private readonly listeners: InactivePackRefusalListener[] = [];

  listen(listener: InactivePackRefusalListener): void {
    this.listeners.push(listener);
  }

  /** `rule`, telling the listeners of each inactive-pack refusal it throws (the refusal itself is rethrown unchanged). */
  reporting<D extends EventData>(rule: EventRule<D>): EventRule<D> {
    return {
      ...rule,
      apply: async (ctx) => {
        try {
          return await rule.apply(ctx);
        } catch (e) {
          const reason = isDomainError(e) ? (e.code === 'NOT_IN_CUSTODY' ? e.code : e.details?.reason) : undefined;
          const packId = isDomainError(e) ? e.details?.item : undefined;
          if (typeof reason === 'string' && (reason === 'NOT_IN_CUSTODY' || INACTIVE_PACK_REASONS.has(reason)) && typeof packId === 'string') {
            // After the pipeline's rollback: the next turn of the event loop at the earliest, never awaited here.
            const refusal = { packId, reason, participantId: ctx.signer.participantId, at: ctx.now };
            setImmediate(() => void this.tell(refusal));
          }
          throw e;
        }
      },
    };
  }

  private async tell(refusal: InactivePackRefusal): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(refusal);
      } catch (e) {
        this.log.error(`Recording the refused attempt at inactive ${refusal.packId} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}
