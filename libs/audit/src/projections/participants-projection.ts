// Participants and keys: who could sign each event at its place in the log (a key added before it, not
// revoked before it — a key may sign its own revocation), and, at the end, the stored directory compared
// with the one the events produce.
import { fromBase64Url } from '@pharmatrace/ledger-core';
import { AuditFailure, eventFailure } from '../audit-failure';
import type { ReplayedEvent, SignerResolution, SignerResolver, StateProjection } from '../audit-source';
import { ParticipantReplay, ParticipantStateReader, ReplayedKey, ReplayedParticipant, StoredKey, StoredParticipant } from './participant-state';

type Field<S, R> = [name: string, stored: S, replayed: R];

const show = (v: unknown): string => (v === null || v === undefined ? 'null' : typeof v === 'string' ? `"${v}"` : String(v));

/** The first field whose stored value differs; fields the source does not give (undefined) are skipped. */
function firstDifference(fields: Array<Field<unknown, unknown>>): string | null {
  for (const [name, stored, replayed] of fields) {
    if (stored === undefined || stored === replayed) continue;
    return `${name} is stored as ${show(stored)}, but the events make it ${show(replayed)}`;
  }
  return null;
}

export class ParticipantsProjection implements StateProjection, SignerResolver {
  readonly name = 'participants and keys';
  private readonly replay = new ParticipantReplay();

  constructor(private readonly stored?: ParticipantStateReader) {}

  signerOf({ event, seq, hash }: ReplayedEvent): SignerResolution {
    const fail = (code: AuditFailure['code'], why: string): SignerResolution => ({ ok: false, failure: eventFailure(code, seq, hash, why) });
    if (this.replay.isGenesis(event)) {
      // The first participant registers itself, signing with one of the keys it registers.
      const data = event.data as { participant?: { id?: unknown }; keys?: unknown };
      const keys = Array.isArray(data.keys) ? (data.keys as unknown[]) : [];
      const own = keys.find((k): k is { kid: unknown; publicKey?: unknown } => typeof k === 'object' && k !== null && (k as { kid?: unknown }).kid === event.kid);
      if (data.participant?.id !== event.actor || own === undefined || typeof own.publicKey !== 'string') {
        return fail('SIGNER_UNKNOWN', 'the first event must be the genesis regulator registering itself, signed by a key it registers.');
      }
      try {
        return { ok: true, publicKey: fromBase64Url(own.publicKey) };
      } catch {
        return fail('SIGNER_UNKNOWN', `the genesis key ${event.kid} has no valid public key.`);
      }
    }
    const participant = this.replay.participants.get(event.actor);
    if (!participant) return fail('SIGNER_UNKNOWN', `participant ${event.actor} was not registered before this event.`);
    const key = this.replay.keys.get(event.kid);
    if (!key || key.participantId !== event.actor) return fail('SIGNER_UNKNOWN', `key ${event.kid} was not registered to ${event.actor} before this event.`);
    if (key.status === 'revoked') return fail('SIGNER_KEY_REVOKED', `key ${event.kid} was revoked by event #${key.revokedSeq}, before this event.`);
    if (participant.status === 'suspended') {
      return fail('SIGNER_SUSPENDED', `${event.actor} was suspended by event #${participant.statusSeq} and not reinstated before this event.`);
    }
    return { ok: true, publicKey: key.publicKeyBytes };
  }

  apply({ event, seq, hash }: ReplayedEvent): AuditFailure | null {
    const refused = this.replay.apply(event, seq);
    return refused === null ? null : eventFailure('EVENT_NOT_APPLICABLE', seq, hash, `the participant rules would have refused it: ${refused}.`);
  }

  async compare(): Promise<AuditFailure | null> {
    if (!this.stored) return null;
    const { participants, keys } = await this.stored.read();
    return this.compareParticipants(participants) ?? this.compareKeys(keys);
  }

  private compareParticipants(stored: StoredParticipant[]): AuditFailure | null {
    const byId = new Map(stored.map((p) => [p.id, p]));
    for (const r of this.replay.participants.values()) {
      const s = byId.get(r.id);
      const where = `participant ${r.id}`;
      if (!s) return { code: 'PARTICIPANT_STATE_MISMATCH', where, why: `event #${r.registeredSeq} registered it, but it is not stored.` };
      const diff = firstDifference(participantFields(s, r));
      if (diff) return { code: 'PARTICIPANT_STATE_MISMATCH', where, why: `${diff} (its last event is #${r.updatedSeq}).` };
      byId.delete(r.id);
    }
    const [extra] = byId.keys();
    return extra === undefined ? null : { code: 'PARTICIPANT_STATE_MISMATCH', where: `participant ${extra}`, why: 'it is stored, but no event registered it.' };
  }

  private compareKeys(stored: StoredKey[]): AuditFailure | null {
    const byKid = new Map(stored.map((k) => [k.kid, k]));
    for (const r of this.replay.keys.values()) {
      const s = byKid.get(r.kid);
      const where = `key ${r.kid} of ${r.participantId}`;
      if (!s) return { code: 'KEY_STATE_MISMATCH', where, why: `event #${r.addedSeq} added it, but it is not stored.` };
      const diff = firstDifference(keyFields(s, r));
      if (diff) return { code: 'KEY_STATE_MISMATCH', where, why: `${diff} (its last event is #${r.revokedSeq ?? r.addedSeq}).` };
      byKid.delete(r.kid);
    }
    const [extra] = byKid.values();
    return extra === undefined ? null : { code: 'KEY_STATE_MISMATCH', where: `key ${extra.kid} of ${extra.participantId}`, why: 'it is stored, but no event added it.' };
  }
}

function participantFields(s: StoredParticipant, r: ReplayedParticipant): Array<Field<unknown, unknown>> {
  return [
    ['status', s.status, r.status],
    ['status reason', s.statusReason, r.statusReason],
    ['role', s.role, r.role],
    ['legal name', s.legalName, r.legalName],
    ['GLN', s.gln, r.gln],
    ['licence number', s.licenceNumber, r.licenceNumber],
    ['licence expiry', s.licenceExpiresOn, r.licenceExpiresOn],
    ['registered seq', s.registeredSeq, r.registeredSeq],
    ['updated seq', s.updatedSeq, r.updatedSeq],
  ];
}

function keyFields(s: StoredKey, r: ReplayedKey): Array<Field<unknown, unknown>> {
  return [
    ['status', s.status, r.status],
    ['participant', s.participantId, r.participantId],
    ['public key', s.publicKey, r.publicKey],
    ['label', s.label, r.label],
    ['kind', s.kind, r.kind],
    ['added seq', s.addedSeq, r.addedSeq],
    ['revoked seq', s.revokedSeq, r.revokedSeq],
    ['revocation reason', s.revokedReason, r.revokedReason],
  ];
}
