import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { notificationDrafts } from './notification-drafts';

describe('who is told of a recall revision', () => {
  it('each participant once, with every reason and its packs counted once', () => {
    const drafts = notificationDrafts({
      holders: [
        { participantId: 'pharmacy-1', reasons: ['custodian', 'supplier'], packs: 5 },
        { participantId: 'wholesaler-1', reasons: ['custodian'], packs: 400 },
        { participantId: 'clinic-1', reasons: ['in_transit_recipient'], packs: 3 },
      ],
      manufacturers: ['maker-1'],
      initiatorId: 'regulator-1',
      previouslyNotified: [],
    });
    assert.deepEqual(drafts, [
      { participantId: 'clinic-1', reasons: ['in_transit_recipient'], affectedPacks: 3 },
      { participantId: 'maker-1', reasons: ['manufacturer'], affectedPacks: 0 },
      { participantId: 'pharmacy-1', reasons: ['custodian', 'supplier'], affectedPacks: 5 },
      { participantId: 'wholesaler-1', reasons: ['custodian'], affectedPacks: 400 },
    ]);
  });

  it('a manufacturer that initiated the recall is not told as manufacturer; as a holder it is', () => {
    const audience = { manufacturers: ['maker-1'], initiatorId: 'maker-1', previouslyNotified: [] };
    assert.deepEqual(notificationDrafts({ ...audience, holders: [] }), []);
    assert.deepEqual(notificationDrafts({ ...audience, holders: [{ participantId: 'maker-1', reasons: ['custodian'], packs: 2 }] }), [
      { participantId: 'maker-1', reasons: ['custodian'], affectedPacks: 2 },
    ]);
  });

  it('a later revision reaches everyone told before: previously_notified only when nothing else applies', () => {
    const drafts = notificationDrafts({
      holders: [{ participantId: 'wholesaler-1', reasons: ['custodian'], packs: 10 }],
      manufacturers: [],
      initiatorId: 'regulator-1',
      previouslyNotified: ['wholesaler-1', 'pharmacy-9'],
    });
    assert.deepEqual(drafts.map((d) => [d.participantId, d.reasons]), [
      ['pharmacy-9', ['previously_notified']],
      ['wholesaler-1', ['custodian']],
    ]);
  });
});
