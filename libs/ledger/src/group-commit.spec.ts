import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EntityManager } from 'typeorm';
import { CommitUnit, GroupCommitter, GroupTransaction, MAX_EVENTS_PER_GROUP } from './group-commit';

/** A fake transaction: records the statements and the units each group ran; `gate` holds a group open. */
function fakeTransactions() {
  const groups: string[][] = [];
  const statements: string[] = [];
  let lastSeq = 0;
  let gate: Promise<void> = Promise.resolve();
  let open = (): void => undefined;
  const m = { query: async (sql: string) => void statements.push(sql) } as unknown as EntityManager;
  const transaction: GroupTransaction = async (work) => {
    groups.push([]);
    await gate;
    await work(m, lastSeq);
  };
  return {
    groups,
    statements,
    transaction,
    hold() {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release: () => open(),
    /** A unit of `size` events named `name`; appends `size` seqs, or throws `error`. */
    unit(name: string, size = 1, error?: unknown): CommitUnit<{ name: string; firstSeq: number }> {
      return {
        size,
        async apply(_m, seq) {
          groups[groups.length - 1].push(name);
          if (error) throw error;
          lastSeq = seq + size;
          return { result: { name, firstSeq: seq + 1 }, lastSeq: seq + size };
        },
      };
    },
  };
}

describe('group commit', () => {
  it('calls that arrive while a group runs share the next group, in arrival order, numbered on from each other', async () => {
    const t = fakeTransactions();
    const committer = new GroupCommitter<{ name: string; firstSeq: number }>(t.transaction);
    t.hold();
    const first = committer.submit(t.unit('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const rest = ['b', 'c', 'd'].map((n, i) => committer.submit(t.unit(n, i + 1)));
    t.release();
    const outcomes = await Promise.all([first, ...rest]);
    assert.deepEqual(t.groups, [['a'], ['b', 'c', 'd']]);
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'applied' ? o.result : null)),
      [{ name: 'a', firstSeq: 1 }, { name: 'b', firstSeq: 2 }, { name: 'c', firstSeq: 3 }, { name: 'd', firstSeq: 5 }],
    );
  });

  it('an idle committer runs a call at once, alone', async () => {
    const t = fakeTransactions();
    const committer = new GroupCommitter<{ name: string; firstSeq: number }>(t.transaction);
    assert.equal((await committer.submit(t.unit('only'))).kind, 'applied');
    assert.deepEqual(t.groups, [['only']]);
  });

  it('a refused call is rolled back to its own savepoint; the calls around it are applied and numbered without a gap', async () => {
    const t = fakeTransactions();
    const committer = new GroupCommitter<{ name: string; firstSeq: number }>(t.transaction);
    t.hold();
    const blocker = committer.submit(t.unit('x'));
    await new Promise((resolve) => setImmediate(resolve));
    const refusal = new Error('STALE_PREV');
    const [a, bad, b] = [committer.submit(t.unit('a')), committer.submit(t.unit('bad', 1, refusal)), committer.submit(t.unit('b'))];
    t.release();
    await blocker;
    assert.deepEqual(await bad, { kind: 'failed', error: refusal });
    assert.deepEqual([(await a).kind, (await b).kind], ['applied', 'applied']);
    const seqs = [await a, await b].map((o) => (o.kind === 'applied' ? o.result.firstSeq : -1));
    assert.deepEqual(seqs, [2, 3]);
    // The first group (x alone) needs no savepoint; the second: a (kept), bad (rolled back to its savepoint), b (kept).
    assert.deepEqual(t.statements, ['SAVEPOINT pt_unit', 'RELEASE SAVEPOINT pt_unit', 'SAVEPOINT pt_unit', 'ROLLBACK TO SAVEPOINT pt_unit', 'SAVEPOINT pt_unit', 'RELEASE SAVEPOINT pt_unit']);
  });

  it('a call alone in its group needs no savepoint: when it is refused, its transaction is rolled back and the refusal answered', async () => {
    const t = fakeTransactions();
    let rolledBack = false;
    const committer = new GroupCommitter<{ name: string; firstSeq: number }>(async (work) => {
      try {
        await t.transaction(work);
      } catch (e) {
        rolledBack = true;
        throw e;
      }
    });
    const refusal = new Error('STALE_PREV');
    assert.deepEqual(await committer.submit(t.unit('alone', 1, refusal)), { kind: 'failed', error: refusal });
    assert.ok(rolledBack, 'the transaction was rolled back, not committed');
    assert.deepEqual(t.statements, []);
    assert.equal((await committer.submit(t.unit('next'))).kind, 'applied');
  });

  it('when the group transaction itself fails (a lost connection, a failed commit), every call of it is rejected with that error', async () => {
    const fault = new Error('connection terminated');
    let calls = 0;
    const committer = new GroupCommitter<number>(async (work) => {
      calls += 1;
      if (calls === 2) throw fault;
      await work({ query: async () => undefined } as unknown as EntityManager, 0);
    });
    const unit: CommitUnit<number> = { size: 1, apply: async (_m, seq) => ({ result: seq + 1, lastSeq: seq + 1 }) };
    const first = committer.submit(unit);
    const grouped = [committer.submit(unit), committer.submit(unit)];
    assert.equal((await first).kind, 'applied');
    for (const g of grouped) await assert.rejects(g, fault);
    // The committer goes on with later calls.
    assert.equal((await committer.submit(unit)).kind, 'applied');
  });

  it(`a group carries at most ${MAX_EVENTS_PER_GROUP} events; a larger call forms a group of its own`, async () => {
    const t = fakeTransactions();
    const committer = new GroupCommitter<{ name: string; firstSeq: number }>(t.transaction);
    t.hold();
    const blocker = committer.submit(t.unit('x'));
    await new Promise((resolve) => setImmediate(resolve));
    const half = MAX_EVENTS_PER_GROUP / 2;
    const all = [committer.submit(t.unit('p', half)), committer.submit(t.unit('q', half)), committer.submit(t.unit('r', 1)), committer.submit(t.unit('huge', MAX_EVENTS_PER_GROUP + 1))];
    t.release();
    await Promise.all([blocker, ...all]);
    assert.deepEqual(t.groups, [['x'], ['p', 'q'], ['r'], ['huge']]);
  });
});
