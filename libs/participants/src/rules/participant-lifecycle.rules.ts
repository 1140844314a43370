// Rules for registering, suspending, reinstating participants and renewing their licences: a
// regulator's acts. The first regulator of a deployment registers itself (genesis, operator's CLI).
import { EntityManager } from 'typeorm';
import { EventEnvelope, fromBase64Url } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule, Signer } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import {
  Licence,
  LicenceRenewedData,
  participantAlreadyRegistered,
  participantAssetId,
  ParticipantEventTypes,
  ParticipantRegisteredData,
  ParticipantStatusData,
} from '../participant-events';
import { ParticipantEntity } from '../entities/participant.entity';
import { insertKey, requireParticipant, touchParticipant } from '../participant-store';
import { expectParticipantAsset, readGln, readKeySpec, readLicence, readParticipantId, readRole, readTown } from './participant-data.parsers';

const today = (now: Date): string => now.toISOString().slice(0, 10);

/** A licence that has already expired registers or renews nothing: its holder could not act anyway. */
function requireLicenceInForce(participant: string, licence: Licence, now: Date, instead: string): void {
  if (licence.expiresOn < today(now)) {
    throw new DomainError(
      'LICENCE_EXPIRED',
      `Licence ${licence.number} of ${participant} expired on ${licence.expiresOn} (today is ${today(now)}); ${instead}.`,
      { participant, expiresOn: licence.expiresOn },
    );
  }
}

/**
 * Regulators other than `except` that can still act: active, licence in force, with an active key. Without
 * one, nobody could ever reinstate, renew or register anyone again.
 */
async function regulatorsAbleToAct(m: EntityManager, except: string, now: Date): Promise<number> {
  const rows: Array<{ n: number }> = await m.query(
    `SELECT count(*)::int AS n FROM participants p
      WHERE p.role = 'regulator' AND p.status = 'active' AND p.id <> $1 AND p.licence_expires_on >= $2::date
        AND EXISTS (SELECT 1 FROM participant_keys k WHERE k.participant_id = p.id AND k.status = 'active')`,
    [except, today(now)],
  );
  return rows[0].n;
}

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
      town: readTown(p),
    };
    p.done();
    const keys = r.array('keys', { min: 1, max: 20 }).map(readKeySpec);
    r.done();
    if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new DomainError('KEY_EXISTS', 'The same key is listed twice.');
    expectParticipantAsset(event, participant.id);
    const { town, ...named } = participant;
    // Old events without a town stay exactly as signed: the key is only there when the signer put it there.
    return { ...event, data: { v: 1, participant: town === null ? named : { ...named, town }, keys } } as EventEnvelope<ParticipantRegisteredData>;
  },
  // A taken id answers ALREADY_REGISTERED from the pipeline, whatever prev the event cites. A self-registration
  // is a genesis: on a deployment that has participants its answer is GENESIS_EXISTS (from genesisSigner).
  createdAssets: (event) => (event.actor === event.data.participant.id ? [] : [participantAssetId(event.data.participant.id)]),
  alreadyRegistered: participantAlreadyRegistered,
  async genesisSigner(m: EntityManager, event: EventEnvelope<ParticipantRegisteredData>): Promise<Signer | null> {
    const { participant, keys } = event.data;
    if (event.actor !== participant.id) return null;
    const count = await m.count(ParticipantEntity);
    if (count > 0) throw new DomainError('GENESIS_EXISTS', 'This deployment already has participants; ask a regulator to register you.');
    if (participant.role !== 'regulator') throw new DomainError('FORBIDDEN_ROLE', 'The first participant of a deployment must be a regulator.');
    // Said here, before the pipeline's own licence check, whose advice (ask a regulator) cannot apply yet.
    requireLicenceInForce(participant.id, participant.licence, new Date(), 'initialise the deployment with the regulator’s current licence');
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
    requireLicenceInForce(participant.id, participant.licence, now, 'register the participant with its current licence');
    if (await m.findOne(ParticipantEntity, { where: { id: participant.id } })) {
      throw new DomainError('ALREADY_REGISTERED', participantAlreadyRegistered(participant.id));
    }
    const glnOwner = await m.findOne(ParticipantEntity, { where: { gln: participant.gln } });
    if (glnOwner) throw new DomainError('GLN_TAKEN', `GLN ${participant.gln} already belongs to ${glnOwner.id}.`);
    await m.insert(ParticipantEntity, {
      id: participant.id,
      legalName: participant.legalName,
      role: participant.role,
      gln: participant.gln,
      town: participant.town ?? null,
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
    async apply({ manager: m, event, seq, signer, now }) {
      const p = await requireParticipant(m, event.data.participant);
      if (p.status === to) {
        throw to === 'suspended'
          ? new DomainError('ALREADY_SUSPENDED', `Participant ${p.id} is already suspended.`)
          : new DomainError('NOT_SUSPENDED', `Participant ${p.id} is not suspended.`);
      }
      if (to === 'suspended' && p.role === 'regulator' && (await regulatorsAbleToAct(m, p.id, now)) === 0) {
        const who = p.id === signer.participantId ? 'You are' : `${p.id} is`;
        throw new DomainError(
          'LAST_ACTIVE_REGULATOR',
          `${who} the last regulator able to act; suspending ${p.id} would leave nobody to reinstate anyone. Register (or reinstate, or renew the licence of) another regulator first.`,
          { participant: p.id },
        );
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
  async apply({ manager: m, event, seq, now }) {
    const p = await requireParticipant(m, event.data.participant);
    requireLicenceInForce(p.id, event.data.licence, now, 'a renewal must run until today or later');
    await touchParticipant(m, p.id, seq, { licenceNumber: event.data.licence.number, licenceExpiresOn: event.data.licence.expiresOn });
    return { participant: p.id, licenceExpiresOn: event.data.licence.expiresOn };
  },
};
