// The recall rules' parsing, one scenario per rule of shape: what a signed event must carry before anything
// is looked up (libs/recalls/src/rules). The effects on goods are asserted end to end in test/recalls.e2e.spec.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { DomainError } from '@pharmatrace/errors';
import { recallAcknowledgedRule } from './recall-acknowledged.rule';
import { recallAmendedRule } from './recall-amended.rule';
import { recallClosedRule } from './recall-closed.rule';
import { recallInitiatedRule } from './recall-initiated.rule';

const RECALL = 'recall:2026-assay-0001';
const BATCH = 'batch:09506000134352/L2026A';
const LOT = 'ingredient-lot:andes-api/API-7731';

function envelope(type: string, data: Record<string, unknown>, assets: Array<{ id: string; prev: string | null }> = [{ id: RECALL, prev: null }]): EventEnvelope {
  return { type, id: 'evt-1', actor: 'regulator-1', kid: 'k1', at: '2026-11-27T10:00:00.000Z', assets, data: { v: 1, ...data } } as EventEnvelope;
}

const initiated = (data: Record<string, unknown> = {}, assets?: Array<{ id: string; prev: string | null }>) =>
  envelope(
    'recall.initiated',
    { recall: RECALL, class: 'I', reason: 'out-of-specification assay', instructions: 'Return all stock.', notifyPatients: true, batches: [BATCH], ingredientLots: [], ...data },
    assets,
  );

/** Refused with INVALID_EVENT_DATA, the message matching `why`. */
function refused(fn: () => unknown, why: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === 'INVALID_EVENT_DATA' && why.test(e.message));
}

describe('recall rules: parsing', () => {
  it('initiated: a full recall parses, batches or ingredient lots (or both)', () => {
    assert.deepEqual(recallInitiatedRule.parse(initiated()).data.batches, [BATCH]);
    assert.deepEqual(recallInitiatedRule.parse(initiated({ batches: [], ingredientLots: [LOT] })).data.ingredientLots, [LOT]);
    assert.deepEqual(recallInitiatedRule.createdAssets!(recallInitiatedRule.parse(initiated())), [RECALL]);
  });

  it('initiated: class one of I, II, III (21 CFR 7.3(m)); notifyPatients a boolean; instructions not blank', () => {
    refused(() => recallInitiatedRule.parse(initiated({ class: 'IV' })), /data\.class must be one of I, II, III/);
    refused(() => recallInitiatedRule.parse(initiated({ notifyPatients: 'yes' })), /data\.notifyPatients must be true or false/);
    refused(() => recallInitiatedRule.parse(initiated({ instructions: '  ' })), /data\.instructions/);
    refused(() => recallInitiatedRule.parse(initiated({ instructions: 'x'.repeat(2001) })), /at most 2000/);
    refused(() => recallInitiatedRule.parse(initiated({ reason: 'x'.repeat(1001) })), /at most 1000/);
  });

  it('free text (reason, instructions, summary): no control or bidi-formatting character; instructions may break lines and use tabs', () => {
    const amend = (instructions: string) =>
      recallAmendedRule.parse(envelope('recall.amended', { recall: RECALL, addBatches: [], addIngredientLots: [], instructions, class: null }, [{ id: RECALL, prev: 'a'.repeat(64) }]));
    const close = (summary: string) => recallClosedRule.parse(envelope('recall.closed', { recall: RECALL, summary }, [{ id: RECALL, prev: 'a'.repeat(64) }]));
    refused(() => recallInitiatedRule.parse(initiated({ reason: 'assay \u001b[31mFAILED' })), /^data\.reason must not contain U\+001B \(ESC\)/);
    refused(() => recallInitiatedRule.parse(initiated({ reason: 'assay\nresult' })), /^data\.reason must not contain U\+000A/);
    refused(() => recallInitiatedRule.parse(initiated({ instructions: 'Return\u0007 all stock.' })), /^data\.instructions must not contain U\+0007 \(BEL\)/);
    refused(() => recallInitiatedRule.parse(initiated({ instructions: 'Return all stock.\r\n' })), /^data\.instructions must not contain U\+000D.*only line feeds and tabs are allowed/);
    refused(() => recallInitiatedRule.parse(initiated({ instructions: 'Return \u202egnihton\u202c all stock.' })), /^data\.instructions must not contain U\+202E \(RIGHT-TO-LEFT OVERRIDE\)/);
    refused(() => amend('Destroy\u2066 on site.'), /^data\.instructions must not contain U\+2066/);
    refused(() => amend('Destroy\u0085 on site.'), /^data\.instructions must not contain U\+0085/);
    refused(() => close('all returned\u009b2J'), /^data\.summary must not contain U\+009B/);
    refused(() => close('all\treturned'), /^data\.summary must not contain U\+0009/);
    const steps = 'Stop supplying.\n\t1. Quarantine all stock.\n\t2. Return it to the manufacturer.';
    assert.equal(recallInitiatedRule.parse(initiated({ instructions: steps })).data.instructions, steps);
    assert.equal(amend(steps).data.instructions, steps);
    assert.equal(recallInitiatedRule.parse(initiated({ reason: 'Gehalt außerhalb der Spezifikation (2–8 °C)' })).data.reason, 'Gehalt außerhalb der Spezifikation (2–8 °C)');
  });

  it('initiated: something to recall, each named once, in asset-id form', () => {
    refused(() => recallInitiatedRule.parse(initiated({ batches: [] })), /at least one batch/);
    refused(() => recallInitiatedRule.parse(initiated({ batches: [BATCH, BATCH] })), /twice/);
    refused(() => recallInitiatedRule.parse(initiated({ batches: ['batch:123/L1'] })), /batch:<GTIN-14>\/<lot>/);
    refused(() => recallInitiatedRule.parse(initiated({ ingredientLots: ['lot-7731'] })), /ingredient-lot:<supplier>\/<lot>/);
    refused(() => recallInitiatedRule.parse(initiated({ batches: Array.from({ length: 1001 }, (_, i) => `batch:09506000134352/L${i}`) })), /at most 1000/);
  });

  it('initiated: the event lists exactly the recall, and its id is recall:<8–80 characters>', () => {
    refused(() => recallInitiatedRule.parse(initiated({}, [])), /exactly one asset/);
    refused(() => recallInitiatedRule.parse(initiated({}, [{ id: RECALL, prev: null }, { id: BATCH, prev: 'a'.repeat(64) }])), /exactly one asset/);
    refused(() => recallInitiatedRule.parse(initiated({ recall: 'recall:short' }, [{ id: 'recall:short', prev: null }])), /data\.recall/);
    refused(() => recallInitiatedRule.parse(initiated({ extra: 1 })), /unknown field/);
  });

  it('amended: null keeps instructions and class; at least one change; both fields present', () => {
    const base = { recall: RECALL, addBatches: [], addIngredientLots: [], instructions: null, class: null };
    const amend = (d: Record<string, unknown>) => recallAmendedRule.parse(envelope('recall.amended', { ...base, ...d }, [{ id: RECALL, prev: 'a'.repeat(64) }]));
    assert.deepEqual(amend({ addBatches: [BATCH] }).data, { v: 1, ...base, addBatches: [BATCH] });
    assert.equal(amend({ class: 'I' }).data.class, 'I');
    assert.equal(amend({ instructions: 'Destroy on site.' }).data.instructions, 'Destroy on site.');
    refused(() => amend({}), /changes nothing/);
    refused(() => amend({ class: 'IV' }), /data\.class/);
    refused(() => recallAmendedRule.parse(envelope('recall.amended', { recall: RECALL, addBatches: [BATCH], addIngredientLots: [], class: null }, [{ id: RECALL, prev: null }])), /data\.instructions must be a string/);
  });

  it('closed: a summary of at most 1,000 characters', () => {
    const close = (summary: unknown) => recallClosedRule.parse(envelope('recall.closed', { recall: RECALL, summary }, [{ id: RECALL, prev: 'a'.repeat(64) }]));
    assert.equal(close('all stock returned').data.summary, 'all stock returned');
    refused(() => close(''), /data\.summary must not be empty/);
    refused(() => close('x'.repeat(1001)), /at most 1000/);
  });

  it('acknowledged: no assets; a revision that is a whole number ≥ 1', () => {
    const ack = (revision: unknown, assets: Array<{ id: string; prev: string | null }> = []) => recallAcknowledgedRule.parse(envelope('recall.acknowledged', { recall: RECALL, revision }, assets));
    assert.equal(ack(2).data.revision, 2);
    refused(() => ack(0), /at least 1/);
    refused(() => ack(1.5), /whole number/);
    refused(() => ack(1, [{ id: RECALL, prev: 'a'.repeat(64) }]), /lists no assets/);
  });
});
