// The one path every signed event takes: envelope, signature against an active key of the actor, role,
// clock skew, per-item `prev` heads, the type's rules, and the append with the next sequence number —
// all inside one transaction. Identical resubmissions return the original receipt and store nothing.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson, EventEnvelope, eventHash, findUnstorableText, fromBase64Url, validateEnvelope } from '@pharmatrace/ledger-core';
import { NodeCryptoVerifier } from '@pharmatrace/ledger-core/node-crypto-verifier';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { DomainError, isDomainError } from '@pharmatrace/errors';
import { eventIdKey, EventLogStore } from './event-log.store';
import { EventRuleRegistry } from './event-rule-registry';
import type { EventRule } from './event-rule';
import { AppendTransaction, EventReceipt, PreparedEvent } from './append-transaction';
import { SealNotifier } from './sealing/seal-notifier';
import { GroupCommitter } from './group-commit';

export type { EventReceipt } from './append-transaction';

export const MAX_EVENTS_PER_BATCH = 1000;

export interface SubmitOptions {
  /** The signed-in participant; events must be theirs. Absent only for the operator's CLI genesis. */
  callerId?: string;
}

export interface BatchProblem {
  index: number;
  code: string;
  message: string;
}

/** How a transaction treats a refused event: stop at once, or note it and go on to find every other. */
type Mode = 'stop-at-first' | 'report-all';

class FirstRefusal extends Error {
  constructor(readonly refusal: DomainError) {
    super(refusal.message);
  }
}

@Injectable()
export class EventPipeline {
  private readonly store = new EventLogStore();
  private readonly verifier = new NodeCryptoVerifier();
  /** Concurrent calls share one transaction under the log lock (group commit; docs/ledger-writes.md). */
  private readonly groups = new GroupCommitter<EventReceipt[]>((work) => this.dataSource.transaction(async (m) => work(m, await this.store.lockLog(m))));

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
    const prepared: PreparedEvent[] = [];
    const problems: BatchProblem[] = [];
    for (const [index, input] of inputs.entries()) {
      await yieldEvery(index);
      try {
        prepared.push(this.prepare(input, index));
      } catch (e) {
        if (!isDomainError(e) || !batch) throw e;
        problems.push({ index, code: e.code, message: e.message });
      }
    }
    if (problems.length > 0) throw batchRejected(problems);
    await this.checkDataBeforeLock(prepared, batch);

    let receipts: EventReceipt[];
    // Optimistic: most calls are good, so no savepoint per event; the call as a whole has one in its group.
    const outcome = await this.groups.submit({ size: prepared.length, apply: (m, lastSeq) => this.applyUnit(m, lastSeq, prepared, options, 'stop-at-first') });
    if (outcome.kind === 'applied') {
      receipts = outcome.result;
    } else {
      const e = outcome.error;
      if (!(e instanceof FirstRefusal)) throw e;
      if (!batch) throw e.refusal;
      // A refused event rolled the call back; run it again alone, with savepoints, to report every bad event.
      receipts = await this.transact(prepared, options, 'report-all');
    }
    const fresh = receipts.filter((r) => !r.duplicate);
    if (fresh.length > 0) {
      this.sealNotifier.eventsAppended(Math.max(...fresh.map((r) => r.seq)));
      this.rules.appended(fresh);
    }
    return receipts;
  }

  /**
   * Problems in the data alone — malformed payloads, ids created twice in one call, ids already taken — are
   * found before the log lock is taken, so a refused bulk (100,000 serials with one duplicate) holds no
   * other writer up and is refused without running the batch. Whatever depends on the log's state at
   * append time is still checked under the lock.
   */
  private async checkDataBeforeLock(prepared: PreparedEvent[], batch: boolean): Promise<void> {
    const problems: BatchProblem[] = [];
    const refuse = (index: number, e: unknown) => {
      if (!isDomainError(e)) throw e;
      if (!batch) throw e;
      problems.push({ index, code: e.code, message: e.message });
    };
    const perType = new Map<string, number>();
    for (const p of prepared) {
      const rule = this.rules.rule(p.event.type);
      const n = (perType.get(p.event.type) ?? 0) + 1;
      perType.set(p.event.type, n);
      if (rule?.maxPerCall !== undefined && n === rule.maxPerCall + 1) {
        const total = prepared.filter((q) => q.event.type === p.event.type).length;
        throw new DomainError('BATCH_TOO_LARGE', `One call carries at most ${rule.maxPerCall} ${p.event.type} events, whatever mutation carries them; got ${total}. Send the rest in further calls.`);
      }
    }
    const creators = new Map<string, number>();
    const created: Array<{ index: number; id: string; rule: EventRule }> = [];
    for (const p of prepared) {
      await yieldEvery(p.index);
      const rule = this.rules.rule(p.event.type);
      if (!rule) continue; // refused under the lock with the list of known types
      let typed: EventEnvelope;
      try {
        typed = rule.parse(p.event);
      } catch (e) {
        refuse(p.index, e);
        continue;
      }
      const ids = [...(rule.implicitAssets?.(typed) ?? []), ...(rule.createdAssets?.(typed) ?? [])];
      for (const id of ids) {
        const first = creators.get(id);
        if (first !== undefined) {
          refuse(p.index, new DomainError('INVALID_EVENT_DATA', first === p.index ? `The event creates ${id} twice.` : `${id} is also created by event ${first} of this call; each id is created once.`, { asset: id }));
          break;
        }
        creators.set(id, p.index);
        created.push({ index: p.index, id, rule });
      }
    }
    if (created.length > 0) {
      const taken = await this.store.heads(this.dataSource.manager, created.map((c) => c.id));
      const firstTaken = new Map<number, { id: string; rule: EventRule }>();
      for (const c of created) if (taken.has(c.id) && !firstTaken.has(c.index)) firstTaken.set(c.index, c);
      if (firstTaken.size > 0) {
        // A resubmission of the very event that created them is a duplicate, answered under the lock.
        const hashes = new Map(prepared.filter((p) => firstTaken.has(p.index)).map((p) => [p.index, p.hash]));
        const stored = await this.store.findByHashes(this.dataSource.manager, [...hashes.values()]);
        for (const [index, c] of firstTaken) {
          if (stored.has(hashes.get(index)!)) continue;
          const sentence = c.rule.alreadyRegistered?.(c.id) ?? `${c.id} is already registered; ids can be used once only, so choose another.`;
          refuse(index, new DomainError('ALREADY_REGISTERED', sentence, { asset: c.id }));
        }
      }
    }
    if (problems.length > 0) throw batchRejected(problems.sort((a, b) => a.index - b.index));
  }

  /** One call alone in its own transaction under the log lock. */
  private transact(prepared: PreparedEvent[], options: SubmitOptions, mode: Mode): Promise<EventReceipt[]> {
    return this.dataSource.transaction(async (m) => (await this.applyUnit(m, await this.store.lockLog(m), prepared, options, mode)).result);
  }

  /** Applies one call's events after `lastSeq`, inside a transaction that holds the log lock. */
  private async applyUnit(m: EntityManager, lastSeq: number, prepared: PreparedEvent[], options: SubmitOptions, mode: Mode): Promise<{ result: EventReceipt[]; lastSeq: number }> {
    const tx = new AppendTransaction(m, this.store, this.rules, this.verifier, { callerId: options.callerId, now: new Date(), clockSkewSeconds: this.config.clockSkewSeconds }, lastSeq);
    const known = await this.store.findByHashes(m, prepared.map((p) => p.hash));
    const usedIds = await this.store.hashesOfEventIds(
      m,
      prepared.filter((p) => !known.has(p.hash)).map((p) => ({ actor: p.event.actor, id: p.event.id })),
    );
    const problems: BatchProblem[] = [];
    const refuse = (index: number, e: unknown) => {
      if (!isDomainError(e)) throw e;
      if (mode === 'stop-at-first') throw new FirstRefusal(e);
      problems.push({ index, code: e.code, message: e.message });
    };
    const receipts: EventReceipt[] = [];
    const seenIds = new Set<string>();
    for (const p of prepared) {
      const stored = known.get(p.hash);
      if (stored) {
        receipts.push({ ...stored, index: p.index, duplicate: true });
        continue;
      }
      const idKey = eventIdKey(p.event.actor, p.event.id);
      if (seenIds.has(idKey)) {
        refuse(p.index, new DomainError('EVENT_ID_REUSED', `Event id ${p.event.id} appears twice in this batch.`));
        continue;
      }
      seenIds.add(idKey);
      try {
        const apply = () => tx.apply(p, usedIds.get(idKey));
        const receipt = mode === 'report-all' ? await inSavepoint(m, apply) : await apply();
        receipts.push(receipt);
        known.set(p.hash, receipt);
      } catch (e) {
        refuse(p.index, e);
      }
    }
    if (problems.length > 0) throw batchRejected(problems);
    return { result: receipts, lastSeq: tx.seq };
  }

  private prepare(input: unknown, index: number): PreparedEvent {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new DomainError('INVALID_ENVELOPE', `Item ${index} must be an object {event, sig}.`);
    }
    const unstorable = findUnstorableText(input, `$[${index}]`);
    if (unstorable) throw new DomainError('INVALID_CHARACTER', `${unstorable.replace(/^\$\[\d+\]/, 'event')}; remove it and sign again.`);
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
    return { index, event: check.event, sig: sigBytes, sigText: sig as string, hash: eventHash(check.event), body: canonicalJson(check.event) };
  }
}

/**
 * Hashing, canonicalising and checking a large bulk is CPU work on the one event loop every request
 * shares: hand it back to other requests every few events so that a 200,000-serial call (refused or not)
 * does not stall everyone else's.
 */
async function yieldEvery(index: number, every = 8): Promise<void> {
  if (index % every === every - 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function inSavepoint<T>(m: EntityManager, work: () => Promise<T>): Promise<T> {
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

function batchRejected(problems: BatchProblem[]): DomainError {
  const summary = problems.slice(0, 5).map((p) => `#${p.index} ${p.code}`).join(', ');
  return new DomainError('BATCH_REJECTED', `The batch was rejected and nothing was stored: ${summary}${problems.length > 5 ? ', …' : ''}.`, {
    errors: problems,
  });
}
