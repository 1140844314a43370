import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { counterAttemptRefusal, inactivePackDecommissioned, isInactiveRefusal, withoutPharmacies } from './inactive-pack-decommissioned.rule';

describe('INACTIVE_PACK_DECOMMISSIONED', () => {
  it('a pharmacy tries to dispense a pack already supplied: a clone is suspected, naming the refusal and the pharmacy', () => {
    const a = inactivePackDecommissioned({ refusal: 'ALREADY_SUPPLIED', participantId: 'pharmacy-1', at: new Date('2026-03-02T10:00:00Z') }, null);
    assert.equal(a.cloneSuspected, true);
    assert.deepEqual(a.evidence.refusals, ['ALREADY_SUPPLIED']);
    assert.deepEqual(a.evidence.participants, ['pharmacy-1']);
    assert.equal(a.evidence.attempts, 1);
  });

  it('a second attempt elsewhere adds to the open alert’s evidence', () => {
    const first = inactivePackDecommissioned({ refusal: 'ALREADY_SUPPLIED', participantId: 'pharmacy-1', at: new Date('2026-03-02T10:00:00Z') }, null);
    const second = inactivePackDecommissioned({ refusal: 'ALREADY_SUPPLIED', participantId: 'pharmacy-2', at: new Date('2026-03-02T11:00:00Z') }, first.evidence);
    assert.equal(second.evidence.attempts, 2);
    assert.deepEqual(second.evidence.participants, ['pharmacy-1', 'pharmacy-2']);
    assert.equal(second.evidence.first, '2026-03-02T10:00:00.000Z');
  });

  it('the manufacturer’s view names no pharmacy (EU FMD art. 38)', () => {
    const a = inactivePackDecommissioned({ refusal: 'DESTROYED', participantId: 'pharmacy-1', at: new Date() }, null);
    const seen = withoutPharmacies(a.evidence);
    assert.equal(JSON.stringify(seen).includes('pharmacy-1'), false);
    assert.equal(seen.participantCount, 1);
  });

  it('another pharmacy holding a pack whose serial was supplied elsewhere: a clone is suspected; the supplying pharmacy scanning it again: told, not suspected (a double scan, or a dispense to undo)', () => {
    assert.deepEqual(counterAttemptRefusal({ state: 'supplied', custodianId: 'pharmacy-1' }, 'pharmacy-2'), { refusal: 'ALREADY_SUPPLIED', cloneSuspected: true });
    assert.deepEqual(counterAttemptRefusal({ state: 'destroyed', custodianId: 'wholesaler-1' }, 'pharmacy-2'), { refusal: 'DESTROYED', cloneSuspected: true });
    assert.deepEqual(counterAttemptRefusal({ state: 'supplied', custodianId: 'pharmacy-1' }, 'pharmacy-1'), { refusal: 'ALREADY_SUPPLIED', cloneSuspected: false });
    assert.equal(counterAttemptRefusal({ state: 'active', custodianId: 'wholesaler-1' }, 'pharmacy-2'), null, 'an active pack held elsewhere is a custody question, not A24');
  });

  it('only inactive-state refusals count: an expired or recalled pack is not a copy', () => {
    assert.equal(isInactiveRefusal('ALREADY_SUPPLIED'), true);
    assert.equal(isInactiveRefusal('EXPIRED'), false);
    assert.equal(isInactiveRefusal('RECALLED'), false);
  });
});
