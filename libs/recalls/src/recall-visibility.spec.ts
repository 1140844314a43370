// Who may see a recall (AccessPolicy.canSeeRecall, docs/access-model.md), one row per kind of viewer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { AccessPolicy, RecallParties } from '@pharmatrace/access';
import type { ParticipantRole } from '@pharmatrace/ledger';

const policy = new AccessPolicy(null as unknown as DataSource);
const RECALL: RecallParties = { initiatorId: 'helix', batchManufacturerIds: ['helix', 'nordpharm'], viewerNotified: false };
const sees = (participantId: string, role: ParticipantRole, parties: Partial<RecallParties> = {}): boolean =>
  policy.canSeeRecall({ participantId, role }, { ...RECALL, ...parties });

describe('recall visibility', () => {
  it('a regulator sees every recall', () => assert.equal(sees('agency', 'regulator'), true));
  it('its initiator sees it', () => assert.equal(sees('helix', 'manufacturer'), true));
  it('a manufacturer of one of its batches sees it (reached through an ingredient lot)', () => assert.equal(sees('nordpharm', 'manufacturer'), true));
  it('a participant notified of it sees it', () => assert.equal(sees('central-pharmacy', 'pharmacy', { viewerNotified: true }), true));
  it('anyone else sees nothing, as for a recall that does not exist', () => {
    assert.equal(sees('central-pharmacy', 'pharmacy'), false);
    assert.equal(sees('other-maker', 'manufacturer'), false);
    assert.equal(sees('andes-api', 'supplier'), false);
  });
});
