// The one path every signed event takes: envelope, signature against an active key of the actor, role,
// clock skew, per-item `prev` heads, the type's rules, and the append with the next sequence number —
// all inside one transaction. Identical resubmissions return the original receipt and store nothing.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson, EventEnvelope, eventHash, eventSigningMessage, fromBase64Url, validateEnvelope } from '@pharmatrace/ledger-core';
import { NodeCryptoVerifier } from '@pharmatrace/ledger-core/node-crypto-verifier';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { DomainError, isDomainError } from '@pharmatrace/errors';
import { eventIdKey, EventLogStore, StoredReceipt } from './event-log.store';
import { EventRuleRegistry } from './event-rule-registry';
import { EventRule, Signer } from './event-rule';
import { SealNotifier } from './sealing/seal-notifier';

export const MAX_EVENTS_PER_BATCH = 1000;

export interface EventReceipt extends StoredReceipt {
  index: number;
  /** True when this exact signed event was already in the log: nothing new was stored. */
  duplicate: boolean;
}

export interface SubmitOptions {
  /** The signed-in participant; events must be theirs. Absent only for the operator's CLI genesis. */
  callerId?: string;
}

interface Prepared {
  index: number;
  event: EventEnvelope;
  sig: Uint8Array;
  sigText: string;
  hash: string;
  body: string;
}

export interface BatchProblem {
  index: number;
  code: string;
  message: string;
}

@Injectable()
export class EventPipeline {
  private readonly store = new EventLogStore();
  private readonly verifier = new NodeCryptoVerifier();

  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: EventRuleRegistry,
    private readonly sealNotifier: SealNotifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submitOne(input: unknown, options: SubmitOptions = {}): Promise<EventReceipt> {
    const [receipt] = await this.run([input], options, false);
    return receipt;
  }

  /** Atomic: every event is applied, or none is and each bad one is reported by index. */
  async submitMany(inputs: unknown[], options: SubmitOptions = {}): Promise<EventReceipt[]> {
    if (inputs.length === 0) throw new DomainError('BAD_REQUEST', 'A batch needs at least one event.');
    if (inputs.length > MAX_EVENTS_PER_BATCH) {
      throw new DomainError('BATCH_TOO_LARGE', `A batch holds at most ${MAX_EVENTS_PER_BATCH} events (got ${inputs.length}).`);
    }
    return this.run(inputs, options, true);
  }

  private async run(inputs: unknown[], options: SubmitOptions, batch: boolean): Promise<EventReceipt[]> {
    const problems: BatchProblem[] = [];
    const fail = (index: number, e: unknown) => {
      if (!isDomainError(e)) throw e;
      if (!batch) throw e;
      problems.push({ index, code: e.code, message: e.message });
    };

    const prepared: Prepared[] = [];
    inputs.forEach((input, index) => {
      try {
        prepared.push(this.prepare(input, index));
      } catch (e) {
        fail(index, e);
      }
    });
    if (problems.length > 0) throw batchRejected(problems);

    const receipts = new Map<number, EventReceipt>();
    const now = new Date();
    await this.dataSource.transaction(async (m) => {
      let lastSeq = await this.store.lockLog(m);
      const known = await this.store.findByHashes(m, prepared.map((p) => p.hash));
      const usedIds = await this.store.hashesOfEventIds(
        m,
        prepared.filter((p) => !known.has(p.hash)).map((p) => ({ actor: p.event.actor, id: p.event.id })),
      );
      const seenIds = new Set<string>();
      for (const p of prepared) {
        const stored = known.get(p.hash);
        if (stored) {
          receipts.set(p.index, { ...stored, index: p.index, duplicate: true });
          continue;
        }
        const idKey = eventIdKey(p.event.actor, p.event.id);
        if (seenIds.has(idKey)) {
          fail(p.index, new DomainError('EVENT_ID_REUSED', `Event id ${p.event.id} appears twice in this batch.`));
          continue;
        }
        seenIds.add(idKey);

        try {
          const seq = lastSeq + 1;
          const receipt = batch ? await this.inSavepoint(m, () => this.applyOne(m, p, options, now, seq, usedIds.get(idKey))) : await this.applyOne(m, p, options, now, seq, usedIds.get(idKey));
          lastSeq = seq;
          receipts.set(p.index, receipt);
          known.set(p.hash, receipt);
        } catch (e) {
          fail(p.index, e);
        }
      }
      if (problems.length > 0) throw batchRejected(problems);
    });

    const result = prepared.map((p) => receipts.get(p.index) as EventReceipt);
    const fresh = result.filter((r) => !r.duplicate);
    if (fresh.length > 0) this.sealNotifier.eventsAppended(Math.max(...fresh.map((r) => r.seq)));
    return result;
  }

  private prepare(input: unknown, index: number): Prepared {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new DomainError('INVALID_ENVELOPE', `Item ${index} must be an object {event, sig}.`);
    }
    const { event: rawEvent, sig, ...extra } = input as Record<string, unknown>;
    if (Object.keys(extra).length > 0) {
      throw new DomainError('INVALID_ENVELOPE', `Unknown field(s) beside event and sig: ${Object.keys(extra).join(', ')}.`);
    }
    const check = validateEnvelope(rawEvent);
    if (!check.ok) {
      const text = check.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new DomainError('INVALID_ENVELOPE', `The event envelope is invalid: ${text}`, { problems: check.problems });
    }
    let sigBytes: Uint8Array;
    try {
      if (typeof sig !== 'string') throw new Error('not a string');
      sigBytes = fromBase64Url(sig);
      if (sigBytes.length !== 64) throw new Error('wrong length');
    } catch {
      throw new DomainError('MALFORMED_SIGNATURE');
    }
    return {
      index,
      event: check.event,
      sig: sigBytes,
      sigText: sig as string,
      hash: eventHash(check.event),
      body: canonicalJson(check.event),
    };
  }

  private async applyOne(m: EntityManager, p: Prepared, options: SubmitOptions, now: Date, seq: number, reusedBy: string | undefined): Promise<EventReceipt> {
    const { event } = p;
    const rule = this.rules.rule(event.type);
    if (!rule) {
      throw new DomainError('UNKNOWN_EVENT_TYPE', `Event type ${event.type} is not supported; known types: ${this.rules.types().join(', ')}.`);
    }
    // Genesis carries its own key in its data, so it is parsed first; otherwise the signer and role are
    // checked before the data, so that nobody learns a type's validation rules without being allowed it.
    const genesis = options.callerId === undefined && rule.genesisSigner ? rule.parse(event) : null;
    const signer = await this.resolveSigner(m, rule, genesis ?? event, options);
    if (!this.verifier.verify(p.sig, eventSigningMessage(p.hash), signer.publicKey)) {
      throw new DomainError('BAD_SIGNATURE', `The signature does not match event ${event.id} and key ${event.kid}.`);
    }
    if (reusedBy) {
      throw new DomainError('EVENT_ID_REUSED', `Event id ${event.id} was already used by ${event.actor} for event ${reusedBy}; a replay with changed content is refused.`);
    }
    if (!rule.roles.includes(signer.role)) {
      throw new DomainError('FORBIDDEN_ROLE', `A ${signer.role} may not sign ${event.type}; allowed: ${rule.roles.join(', ')}.`);
    }
    if (signer.licenceExpiresOn < now.toISOString().slice(0, 10)) {
      throw new DomainError('LICENCE_EXPIRED', `The licence of ${signer.participantId} expired on ${signer.licenceExpiresOn}; a regulator must renew it first.`);
    }
    const skewMs = Math.abs(Date.parse(event.at) - now.getTime());
    if (skewMs > this.config.clockSkewSeconds * 1000) {
      throw new DomainError('CLOCK_SKEW', `Event time ${event.at} is ${Math.round(skewMs / 1000)} s from server time ${now.toISOString()}; the limit is ${this.config.clockSkewSeconds} s. Check the terminal's clock and sign again.`);
    }
    const typed = genesis ?? rule.parse(event);
    const heads = await this.store.heads(m, event.assets.map((a) => a.id));
    for (const asset of event.assets) {
      const head = heads.get(asset.id) ?? null;
      if (head !== asset.prev) {
        throw new DomainError(
          'STALE_PREV',
          head === null
            ? `Asset ${asset.id} does not exist yet, so its prev must be null.`
            : `Asset ${asset.id} has moved on: its head is ${head}, the event cites ${asset.prev ?? 'null'}. Reload the item and sign again.`,
          { asset: asset.id, head, prev: asset.prev },
        );
      }
    }
    const result = await rule.apply({ manager: m, event: typed, hash: p.hash, seq, signer, now });
    await this.store.append(m, {
      seq,
      hash: p.hash,
      eventId: event.id,
      type: event.type,
      actor: event.actor,
      kid: event.kid,
      at: event.at,
      body: p.body,
      sig: p.sigText,
      result,
      assets: event.assets,
    });
    return { index: p.index, seq, hash: p.hash, eventId: event.id, type: event.type, result, duplicate: false };
  }

  private async resolveSigner(m: EntityManager, rule: EventRule, event: EventEnvelope, options: SubmitOptions): Promise<Signer> {
    if (options.callerId === undefined && rule.genesisSigner) {
      const genesis = await rule.genesisSigner(m, event);
      if (genesis) return genesis;
    }
    if (options.callerId !== undefined && options.callerId !== event.actor) {
      throw new DomainError('ACTOR_MISMATCH', `You are signed in as ${options.callerId} but the event's actor is ${event.actor}.`);
    }
    const lookup = await this.rules.signers().findSigner(m, event.actor, event.kid);
    if (!lookup.found) {
      throw lookup.reason === 'UNKNOWN_ACTOR'
        ? new DomainError('UNKNOWN_ACTOR', `Participant ${event.actor} is not registered.`)
        : new DomainError('UNKNOWN_KEY', `Key ${event.kid} is not registered to participant ${event.actor}.`);
    }
    const { signer } = lookup;
    if (signer.keyStatus === 'revoked') throw new DomainError('KEY_REVOKED', `Key ${event.kid} was revoked and can no longer sign.`);
    if (signer.status === 'suspended') throw new DomainError('ACTOR_SUSPENDED', `Participant ${event.actor} is suspended and can do nothing until reinstated.`);
    return signer;
  }

  private async inSavepoint<T>(m: EntityManager, work: () => Promise<T>): Promise<T> {
    await m.query('SAVEPOINT pt_event');
    try {
      const out = await work();
      await m.query('RELEASE SAVEPOINT pt_event');
      return out;
    } catch (e) {
      await m.query('ROLLBACK TO SAVEPOINT pt_event');
      throw e;
    }
  }
}

function batchRejected(problems: BatchProblem[]): DomainError {
  const summary = problems.slice(0, 5).map((p) => `#${p.index} ${p.code}`).join(', ');
  return new DomainError('BATCH_REJECTED', `The batch was rejected and nothing was stored: ${summary}${problems.length > 5 ? ', …' : ''}.`, {
    errors: problems,
  });
}
