// Rules for a participant's keys: add, revoke, rotate. The participant changes its own keys; a
// regulator may too (a lost or stolen terminal).
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule, Signer } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { KeyAddedData, KeyRevokedData, KeyRotatedData, ParticipantEventTypes } from '../participant-events';
import { activeKeyCount, insertKey, requireParticipant, revokeKey, touchParticipant } from '../participant-store';
import { expectParticipantAsset, readKeySpec, readParticipantId } from './participant-data.parsers';

const ANY_ROLE = ['supplier', 'manufacturer', 'wholesaler', 'pharmacy', 'prescriber', 'regulator'] as const;

function requireOwnerOrRegulator(signer: Signer, participant: string): void {
  if (signer.participantId !== participant && signer.role !== 'regulator') {
    throw new DomainError('NOT_OWNER', `Only ${participant} itself or a regulator may change its keys.`);
  }
}

export const keyAddedRule: EventRule<KeyAddedData> = {
  type: ParticipantEventTypes.keyAdded,
  roles: ANY_ROLE,
  changesSigners: true,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const participant = readParticipantId(r, 'participant');
    const key = readKeySpec(r.object('key'));
    r.done();
    expectParticipantAsset(event, participant);
    return { ...event, data: { v: 1, participant, key } } as EventEnvelope<KeyAddedData>;
  },
  async apply({ manager: m, event, seq, signer, now }) {
    requireOwnerOrRegulator(signer, event.data.participant);
    const p = await requireParticipant(m, event.data.participant);
    await insertKey(m, p.id, event.data.key, seq, now);
    await touchParticipant(m, p.id, seq);
    return { participant: p.id, added: event.data.key.kid };
  },
};

export const keyRevokedRule: EventRule<KeyRevokedData> = {
  type: ParticipantEventTypes.keyRevoked,
  roles: ANY_ROLE,
  changesSigners: true,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const participant = readParticipantId(r, 'participant');
    const kid = r.string('kid', { max: 128 });
    const reason = r.string('reason', { max: 500 });
    r.done();
    expectParticipantAsset(event, participant);
    return { ...event, data: { v: 1, participant, kid, reason } } as EventEnvelope<KeyRevokedData>;
  },
  async apply({ manager: m, event, seq, signer, now }) {
    requireOwnerOrRegulator(signer, event.data.participant);
    const p = await requireParticipant(m, event.data.participant);
    await revokeKey(m, p.id, event.data.kid, event.data.reason, seq, now);
    if ((await activeKeyCount(m, p.id)) === 0) {
      throw new DomainError('LAST_ACTIVE_KEY', `Key ${event.data.kid} is the last active key of ${p.id}; add another key first, or rotate.`);
    }
    await touchParticipant(m, p.id, seq);
    return { participant: p.id, revoked: event.data.kid };
  },
};

export const keyRotatedRule: EventRule<KeyRotatedData> = {
  type: ParticipantEventTypes.keyRotated,
  roles: ANY_ROLE,
  changesSigners: true,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const participant = readParticipantId(r, 'participant');
    const revoke = r.string('revoke', { max: 128 });
    const key = readKeySpec(r.object('key'));
    r.done();
    expectParticipantAsset(event, participant);
    return { ...event, data: { v: 1, participant, revoke, key } } as EventEnvelope<KeyRotatedData>;
  },
  async apply({ manager: m, event, seq, signer, now }) {
    requireOwnerOrRegulator(signer, event.data.participant);
    const p = await requireParticipant(m, event.data.participant);
    await insertKey(m, p.id, event.data.key, seq, now);
    await revokeKey(m, p.id, event.data.revoke, `rotated to ${event.data.key.kid}`, seq, now);
    await touchParticipant(m, p.id, seq);
    return { participant: p.id, added: event.data.key.kid, revoked: event.data.revoke };
  },
};
