// The recalls projection on its own, one scenario per kind of stored fault: a recall of a named batch and an
// ingredient lot, amended (a batch, a second lot, new instructions and class), acknowledged and closed, replayed
// and compared with stored rows held in memory — then each stored fact changed in turn, and events the recall
// rules would have refused. The database reader is exercised end to end in test/audit-recalls.e2e.spec.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEnvelope } from '@pharmatrace/ledger-core';
import type { AuditFailure } from '../audit-failure';
import type { StoredPackState } from './pack-states-projection';
import { RecallStateReader, StoredRecalls } from './recall-state';
import { RecallsProjection } from './recalls-projection';

const R = 'recall:2026-assay-0001';
const [L1, L2, L3] = ['ingredient-lot:andes/API-1', 'ingredient-lot:andes/API-2', 'ingredient-lot:Zeta/API-3'];
const batch = (lot: string): string => `batch:09506000134352/${lot}`;
const [B1, B2, B3, B4, B5] = ['B1', 'B2', 'B3', 'B4', 'B5'].map(batch);
const h = (n: number): string => n.toString(16).padStart(64, '0');

type Ev = [type: string, actor: string, data: Record<string, unknown>];
const registered = (lot: string, lots: string[]): Ev => ['catalog.batch_registered', 'maker', { v: 1, batch: { gtin: '09506000134352', lot }, ingredientLots: lots }];

/** B1 consumed L1; B2 L1 and L2; B3 nothing; B4 L2; B5, registered after the initiation, L3 and L2 (both named by the amendment). */
const LEDGER: Ev[] = [
  registered('B1', [L1]),
  registered('B2', [L1, L2]),
  registered('B3', []),
  registered('B4', [L2]),
  ['recall.initiated', 'agency', { v: 1, recall: R, class: 'II', reason: 'assay', instructions: 'Return.', notifyPatients: true, batches: [B3], ingredientLots: [L1] }],
  registered('B5', [L3, L2]),
  ['recall.amended', 'agency', { v: 1, recall: R, addBatches: [B2, B4], addIngredientLots: [L2, L3], instructions: 'Destroy.', class: 'I' }],
  ['recall.acknowledged', 'pharmacy', { v: 1, recall: R, revision: 1 }],
  ['recall.closed', 'agency', { v: 1, recall: R, summary: 'all returned' }],
  ['recall.acknowledged', 'pharmacy', { v: 1, recall: R, revision: 3 }],
];

/** What the database holds after LEDGER (events #1–#10, hash of #n = h(n)). */
function storedAfterLedger(): StoredRecalls {
  return {
    recalls: [
      { id: R, initiatorId: 'agency', class: 'I', reason: 'assay', instructions: 'Destroy.', notifyPatients: true, state: 'closed', revision: 3, initiatedSeq: 5, closedSeq: 9, closeSummary: 'all returned' },
    ],
    revisions: [
      { recallId: R, revision: 1, kind: 'initiated', seq: 5, eventHash: h(5), instructions: 'Return.' },
      { recallId: R, revision: 2, kind: 'amended', seq: 7, eventHash: h(7), instructions: 'Destroy.' },
      { recallId: R, revision: 3, kind: 'closed', seq: 9, eventHash: h(9), instructions: 'Destroy.' },
    ],
    ingredientLots: [
      { recallId: R, ingredientLotId: L1, addedRevision: 1 },
      { recallId: R, ingredientLotId: L2, addedRevision: 2 },
      { recallId: R, ingredientLotId: L3, addedRevision: 2 },
    ],
    batches: [
      { recallId: R, batchId: B1, viaIngredientLot: L1, addedRevision: 1, addedSeq: 5 },
      { recallId: R, batchId: B2, viaIngredientLot: L1, addedRevision: 1, addedSeq: 5 },
      { recallId: R, batchId: B3, viaIngredientLot: null, addedRevision: 1, addedSeq: 5 },
      { recallId: R, batchId: B4, viaIngredientLot: null, addedRevision: 2, addedSeq: 7 },
      // reached through L3 and L2 at once: recorded through the first in code-point order ("Z" < "a")
      { recallId: R, batchId: B5, viaIngredientLot: L3, addedRevision: 2, addedSeq: 7 },
    ],
    acknowledgements: [
      { recallId: R, revision: 1, participantId: 'pharmacy', seq: 8, hash: h(8) },
      { recallId: R, revision: 3, participantId: 'pharmacy', seq: 10, hash: h(10) },
    ],
  };
}

interface MemoryPack extends StoredPackState {
  batchId: string;
}

class MemoryRecallState implements RecallStateReader {
  constructor(
    readonly state: StoredRecalls,
    readonly packs: MemoryPack[] = [],
  ) {}

  async read(): Promise<StoredRecalls> {
    return this.state;
  }

  async packsInStates(batchIds: string[], states: readonly string[], throughSeq: number): Promise<Map<string, StoredPackState>> {
    const found = new Map<string, StoredPackState>();
    for (const p of [...this.packs].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (batchIds.includes(p.batchId) && states.includes(p.state) && p.updatedSeq <= throughSeq && !found.has(p.batchId)) found.set(p.batchId, p);
    }
    return found;
  }
}

function replay(events: Ev[], stored?: RecallStateReader): { projection: RecallsProjection; refusal: AuditFailure | null } {
  const projection = new RecallsProjection(stored);
  for (const [i, [type, actor, data]] of events.entries()) {
    const event = { type, id: `e-${i + 1}`, actor, kid: 'k', at: '2026-11-27T10:00:00.000Z', assets: [], data } as unknown as EventEnvelope;
    const refusal = projection.apply({ seq: i + 1, hash: h(i + 1), event });
    if (refusal) return { projection, refusal };
  }
  return { projection, refusal: null };
}

async function compareWith(change: (s: StoredRecalls) => void, packs: MemoryPack[] = []): Promise<AuditFailure | null> {
  const state = storedAfterLedger();
  change(state);
  const { projection, refusal } = replay(LEDGER, new MemoryRecallState(state, packs));
  assert.equal(refusal, null);
  return projection.compare();
}

async function mismatch(change: (s: StoredRecalls) => void, why: RegExp): Promise<void> {
  const f = await compareWith(change);
  assert.deepEqual([f?.code, f?.where], ['RECALL_MISMATCH', `recall ${R}`]);
  assert.match(f!.why, why);
}

describe('recalls projection', () => {
  it('agrees with the rows the rules store: recall, revisions, lots, batches named and reached through lots, acknowledgements', async () => {
    assert.equal(await compareWith(() => undefined), null);
    assert.equal(await compareWith(() => undefined, [{ id: 'sgtin:1', batchId: B1, state: 'recalled', updatedSeq: 5 }, { id: 'sgtin:2', batchId: B2, state: 'supplied', updatedSeq: 3 }]), null);
  });

  it('names the recall whose row, revision, lot or batch differs, or is missing, or is stored without an event', async () => {
    await mismatch((s) => (s.recalls[0].class = 'III'), /^class is stored as "III", but the events make it "I" \(its last event is #9\)/);
    await mismatch((s) => (s.recalls[0].state = 'open'), /^state is stored as "open", but the events make it "closed"/);
    await mismatch((s) => (s.recalls[0].instructions = 'Keep selling.'), /^instructions is stored as "Keep selling\."/);
    await mismatch((s) => (s.recalls[0].notifyPatients = false), /^notify patients is stored as false, but the events make it true/);
    await mismatch((s) => s.revisions.splice(1, 1), /^revision 2 is not stored, but event #7 made it/);
    await mismatch((s) => (s.revisions[0].instructions = 'x'), /^of revision 1, its instructions is stored as "x"/);
    await mismatch((s) => s.ingredientLots.splice(1, 1), new RegExp(`^ingredient lot ${L2} is not stored among its lots, but revision 2 names it`));
    await mismatch((s) => s.batches.splice(0, 1), new RegExp(`^batch ${B1} is not stored among its batches, but event #5 reaches it through ingredient lot ${L1}`));
    await mismatch((s) => s.batches.splice(3, 1), new RegExp(`^batch ${B4} is not stored among its batches, but event #7 names it`));
    await mismatch((s) => (s.batches[4].viaIngredientLot = L2), /^of batch .*B5, the ingredient lot it was reached through is stored as ".*API-2"/);
    await mismatch((s) => s.batches.push({ recallId: R, batchId: batch('B9'), viaIngredientLot: null, addedRevision: 2, addedSeq: 7 }), /B9 is stored among its batches, but no event covers it/);
    await mismatch((s) => s.revisions.push({ recallId: R, revision: 4, kind: 'amended', seq: 11, eventHash: h(11), instructions: 'x' }), /^revision 4 is stored, but no event made it/);
    const forged = await compareWith((s) => s.recalls.push({ ...s.recalls[0], id: 'recall:forged-0001' }));
    assert.deepEqual([forged?.code, forged?.where, forged?.why], ['RECALL_MISMATCH', 'recall recall:forged-0001', 'it is stored, but no event initiated it.']);
    const gone = await compareWith((s) => (s.recalls = []));
    assert.equal(gone?.why, 'event #5 initiated it, but it is not stored.');
  });

  it('names an acknowledgement removed, changed, or stored without its signed event', async () => {
    await mismatch((s) => s.acknowledgements.splice(0, 1), /^pharmacy's acknowledgement of revision 1 is not stored, but event #8 signed it/);
    await mismatch((s) => (s.acknowledgements[1].hash = h(99)), /^pharmacy's acknowledgement of revision 3 is stored as event #10 \(hash 0+63\)/);
    await mismatch((s) => s.acknowledgements.push({ recallId: R, revision: 2, participantId: 'wholesaler', seq: 11, hash: h(11) }), /^wholesaler's acknowledgement of revision 2 is stored \(event #11\), but no event signed it/);
  });

  it('names a pack of a covered batch stored in a recallable state; a pack updated after the log end is not judged', async () => {
    const f = await compareWith(() => undefined, [
      { id: 'sgtin:9', batchId: B4, state: 'active', updatedSeq: 2 },
      { id: 'sgtin:8', batchId: batch('B8'), state: 'active', updatedSeq: 2 },
    ]);
    assert.deepEqual([f?.code, f?.where], ['RECALLED_PACK_MISMATCH', 'pack sgtin:9']);
    assert.match(f!.why, new RegExp(`stored as "active", but recall ${R} covers its batch ${B4} since event #7`));
    for (const state of ['in_transit', 'quarantined', 'locked', 'expired']) {
      assert.equal((await compareWith(() => undefined, [{ id: 'sgtin:1', batchId: B1, state, updatedSeq: 6 }]))?.code, 'RECALLED_PACK_MISMATCH', state);
    }
    for (const state of ['recalled', 'supplied', 'destroyed', 'stolen', 'lost', 'exported', 'sample', 'free_sample']) {
      assert.equal(await compareWith(() => undefined, [{ id: 'sgtin:1', batchId: B1, state, updatedSeq: 6 }]), null, state);
    }
    assert.equal(await compareWith(() => undefined, [{ id: 'sgtin:1', batchId: B1, state: 'active', updatedSeq: 11 }]), null);
  });

  it('refuses events the recall rules would have refused', () => {
    const refusal = (events: Ev[]) => replay(events).refusal;
    const amend: Ev = ['recall.amended', 'agency', { v: 1, recall: R, addBatches: [], addIngredientLots: [], instructions: 'x', class: null }];
    assert.match(refusal([...LEDGER, amend])!.why, /recall rules would have refused it: recall .* was closed/);
    assert.match(refusal([...LEDGER, ['recall.closed', 'agency', { v: 1, recall: R, summary: 'again' }]])!.why, /was closed/);
    assert.match(refusal([...LEDGER, LEDGER[9]])!.why, /pharmacy already acknowledged revision 3/);
    assert.match(refusal([...LEDGER.slice(0, 9), ['recall.acknowledged', 'pharmacy', { v: 1, recall: R, revision: 2 }]])!.why, /closed at revision 3/);
    assert.match(refusal([...LEDGER.slice(0, 5), LEDGER[4]])!.why, /already initiated/);
    assert.match(refusal([amend])!.why, /no recall .* was initiated/);
    const unknown: Ev = ['recall.initiated', 'agency', { ...LEDGER[4][2], recall: 'recall:other-0001', batches: [batch('B9')] }];
    assert.match(refusal([...LEDGER.slice(0, 4), unknown])!.why, /no batch .*B9 was registered/);
    assert.equal(refusal([...LEDGER.slice(0, 4), unknown])!.code, 'EVENT_NOT_APPLICABLE');
    // A batch consuming a lot a recall named (the rules answer INGREDIENT_LOT_RECALLED), even once it is closed.
    assert.match(refusal([...LEDGER.slice(0, 5), registered('B6', [L1])])!.why, /consumes ingredient lot .* which recall:.* recalled before/);
    assert.match(refusal([...LEDGER, registered('B7', [L3])])!.why, /consumes ingredient lot/);
    assert.equal(refusal([...LEDGER.slice(0, 5), registered('B8', [L3])]), null, 'a lot no recall names yet may still be consumed');
  });
});
