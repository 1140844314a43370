// Group commit (issue 12): concurrent calls to the pipeline share one transaction under the log lock
// instead of queueing for it one commit at a time. Each call is a unit applied inside its own savepoint,
// so the promises of the ledger hold unchanged:
// - one order, gapless: every unit of a group is applied in turn under the one log lock, with the next
//   sequence number, and the group commits as a whole;
// - atomic calls: a refused unit is rolled back to its savepoint and stores nothing; the others commit;
// - exactly one winner per `prev`: units see the writes of the units before them in the same transaction;
// - rules that read state beyond their own items (a recall racing a shipment, a suspension racing an
//   event) still run under the log lock, so they stay serialisable.
// While one group's transaction runs, new calls gather for the next one: an idle ledger adds no wait, and
// a busy one commits many calls per transaction (one lock acquisition and one commit flush for all).
// Design and measurements: docs/ledger-writes.md.
import type { EntityManager } from 'typeorm';

/** One call's work: applied inside a savepoint of the group's transaction, given the log's last seq. */
export interface CommitUnit<R> {
  /** Events in the call (bounds a group's size). */
  size: number;
  apply(m: EntityManager, lastSeq: number): Promise<{ result: R; lastSeq: number }>;
}

/** What became of a unit in its group: applied (committed with the group), or refused/faulted (rolled back to its savepoint). */
export type UnitOutcome<R> = { kind: 'applied'; result: R } | { kind: 'failed'; error: unknown };

interface Pending<R> {
  unit: CommitUnit<R>;
  settle(outcome: UnitOutcome<R>): void;
  reject(e: unknown): void;
}

export interface GroupTransaction {
  /** Runs `work` in one transaction holding the log lock; `lastSeq` is the log's last sequence number. */
  (work: (m: EntityManager, lastSeq: number) => Promise<void>): Promise<void>;
}

/** Thrown to roll back the transaction of a group of one whose call failed (its outcome is already noted). */
class RolledBack extends Error {}

/** Most events one group transaction carries; a larger call forms a group of its own. */
export const MAX_EVENTS_PER_GROUP = 5000;

export class GroupCommitter<R> {
  private readonly queue: Array<Pending<R>> = [];
  private running = false;

  constructor(private readonly transaction: GroupTransaction) {}

  /**
   * Applies `unit` in the next group transaction. Resolves once that transaction has committed (applied)
   * or the unit was rolled back to its savepoint (failed, with the error it threw). Rejects only when the
   * group's transaction as a whole failed (the unit was then not applied).
   */
  submit(unit: CommitUnit<R>): Promise<UnitOutcome<R>> {
    return new Promise<UnitOutcome<R>>((resolve, reject) => {
      this.queue.push({ unit, settle: resolve, reject });
      // drain() settles every unit it takes, and catches everything a group can throw.
      if (!this.running) void this.drain();
    });
  }

  /** Runs groups until the queue is empty; one group at a time (the log lock would serialise them anyway). */
  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.take();
        const outcomes = new Map<Pending<R>, UnitOutcome<R>>();
        try {
          await this.transaction(async (m, firstSeq) => {
            if (group.length === 1) {
              // Alone in its group (an idle ledger): no savepoint needed, the transaction is the call's own.
              const [p] = group;
              try {
                outcomes.set(p, { kind: 'applied', result: (await p.unit.apply(m, firstSeq)).result });
              } catch (error) {
                outcomes.set(p, { kind: 'failed', error });
                throw new RolledBack();
              }
              return;
            }
            let lastSeq = firstSeq;
            for (const p of group) {
              await m.query('SAVEPOINT pt_unit');
              try {
                const applied = await p.unit.apply(m, lastSeq);
                await m.query('RELEASE SAVEPOINT pt_unit');
                lastSeq = applied.lastSeq;
                outcomes.set(p, { kind: 'applied', result: applied.result });
              } catch (error) {
                await m.query('ROLLBACK TO SAVEPOINT pt_unit');
                outcomes.set(p, { kind: 'failed', error });
              }
            }
          });
        } catch (e) {
          if (!(e instanceof RolledBack)) {
            // The commit (or the lock, or a savepoint) failed: nothing of the group was stored.
            for (const p of group) p.reject(e);
            continue;
          }
        }
        for (const p of group) p.settle(outcomes.get(p) ?? { kind: 'failed', error: new Error('The unit was not run.') });
      }
    } finally {
      this.running = false;
    }
  }

  /** The next group: queued units in arrival order, up to MAX_EVENTS_PER_GROUP events (at least one unit). */
  private take(): Array<Pending<R>> {
    const group: Array<Pending<R>> = [];
    let events = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (group.length > 0 && events + next.unit.size > MAX_EVENTS_PER_GROUP) break;
      group.push(next);
      events += next.unit.size;
      this.queue.shift();
    }
    return group;
  }
}
