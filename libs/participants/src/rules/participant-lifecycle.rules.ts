// Rules for registering, suspending, reinstating participants and renewing their licences: a
// regulator's acts. The first regulator of a deployment registers itself (genesis, operator's CLI).
import { EntityManager } from 'typeorm';
import { EventEnvelope, fromBase64Url } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule, Signer } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import {
  LicenceRenewedData,
  ParticipantEventTypes,
  ParticipantRegisteredData,
  ParticipantStatusData,
} from '../participant-events';
import { ParticipantEntity } from '../entities/participant.entity';
import { insertKey, requireParticipant, touchParticipant } from '../participant-store';
import { expectParticipantAsset, readGln, readKeySpec, readLicence, readParticipantId, readRole } from './participant-data.parsers';

export const participantRegisteredRule: EventRule<ParticipantRegisteredData> = {
  type: ParticipantEventTypes.registered,
  roles: ['regulator'],
  changesSigners: true,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const p = r.object('participant');
    const participant = {
      id: readParticipantId(p, 'id'),
      legalName: p.string('legalName', { max: 200 }),
      role: readRole(p),
      gln: readGln(p),
      licence: readLicence(p.object('licence')),
    };
    p.done();
    const keys = r.array('keys', { min: 1, max: 20 }).map(readKeySpec);
    r.done();
    if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new DomainError('KEY_EXISTS', 'The same key is listed twice.');
    expectParticipantAsset(event, participant.id);
    if (event.assets[0].prev !== null) throw new DomainError('STALE_PREV', 'A new participant’s prev must be null.');
    return { ...event, data: { v: 1, participant, keys } } as EventEnvelope<ParticipantRegisteredData>;
  },
  async genesisSigner(m: EntityManager, event: EventEnvelope<ParticipantRegisteredData>): Promise<Signer | null> {
    const { participant, keys } = event.data;
    if (event.actor !== participant.id) return null;
    const count = await m.count(ParticipantEntity);
    if (count > 0) throw new DomainError('GENESIS_EXISTS', 'This deployment already has participants; ask a regulator to register you.');
    if (participant.role !== 'regulator') throw new DomainError('FORBIDDEN_ROLE', 'The first participant of a deployment must be a regulator.');
    const key = keys.find((k) => k.kid === event.kid);
    if (!key) throw new DomainError('UNKNOWN_KEY', 'The genesis event must be signed by one of the keys it registers.');
    return {
      participantId: participant.id,
      role: 'regulator',
      status: 'active',
      kid: key.kid,
      keyStatus: 'active',
      publicKey: fromBase64Url(key.publicKey),
      licenceExpiresOn: participant.licence.expiresOn,
    };
  },
  async apply({ manager: m, event, seq, now }) {
    const { participant, keys } = event.data;
    if (await m.findOne(ParticipantEntity, { where: { id: participant.id } })) {
      throw new DomainError('PARTICIPANT_EXISTS', `Participant ${participant.id} is already registered.`);
    }
    const glnOwner = await m.findOne(ParticipantEntity, { where: { gln: participant.gln } });
    if (glnOwner) throw new DomainError('GLN_TAKEN', `GLN ${participant.gln} already belongs to ${glnOwner.id}.`);
    await m.insert(ParticipantEntity, {
      id: participant.id,
      legalName: participant.legalName,
      role: participant.role,
      gln: participant.gln,
      licenceNumber: participant.licence.number,
      licenceExpiresOn: participant.licence.expiresOn,
      status: 'active',
      statusReason: null,
      registeredSeq: String(seq),
      updatedSeq: String(seq),
      registeredAt: now,
    });
    for (const key of keys) await insertKey(m, participant.id, key, seq, now);
    return { participant: participant.id, keys: keys.map((k) => k.kid) };
  },
};

function statusRule(type: string, to: 'active' | 'suspended'): EventRule<ParticipantStatusData> {
  return {
    type,
    roles: ['regulator'],
    changesSigners: true,
    parse(event) {
      const r = EventDataReader.of(event.data);
      r.version([1]);
      const participant = readParticipantId(r, 'participant');
      const reason = r.string('reason', { max: 500 });
      r.done();
      expectParticipantAsset(event, participant);
      return { ...event, data: { v: 1, participant, reason } } as EventEnvelope<ParticipantStatusData>;
    },
    async apply({ manager: m, event, seq }) {
      const p = await requireParticipant(m, event.data.participant);
      if (p.status === to) {
        throw to === 'suspended'
          ? new DomainError('ALREADY_SUSPENDED', `Participant ${p.id} is already suspended.`)
          : new DomainError('NOT_SUSPENDED', `Participant ${p.id} is not suspended.`);
      }
      await touchParticipant(m, p.id, seq, { status: to, statusReason: event.data.reason });
      if (to === 'suspended') await m.query('DELETE FROM auth_sessions WHERE participant_id = $1', [p.id]);
      return { participant: p.id, status: to };
    },
  };
}

export const participantSuspendedRule = statusRule(ParticipantEventTypes.suspended, 'suspended');
export const participantReinstatedRule = statusRule(ParticipantEventTypes.reinstated, 'active');

export const licenceRenewedRule: EventRule<LicenceRenewedData> = {
  type: ParticipantEventTypes.licenceRenewed,
  roles: ['regulator'],
  changesSigners: true,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const participant = readParticipantId(r, 'participant');
    const licence = readLicence(r.object('licence'));
    r.done();
    expectParticipantAsset(event, participant);
    return { ...event, data: { v: 1, participant, licence } } as EventEnvelope<LicenceRenewedData>;
  },
  async apply({ manager: m, event, seq }) {
    const p = await requireParticipant(m, event.data.participant);
    await touchParticipant(m, p.id, seq, { licenceNumber: event.data.licence.number, licenceExpiresOn: event.data.licence.expiresOn });
    return { participant: p.id, licenceExpiresOn: event.data.licence.expiresOn };
  },
};
