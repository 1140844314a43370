// Participants and their keys rebuilt from participant.* events, with the rules the server applied when
// it accepted them (libs/participants/src/rules): an event those rules would refuse is an audit failure.
import { EventEnvelope, fromBase64Url, isValidPublicKey, keyIdOf } from '@pharmatrace/ledger-core';
import { PARTICIPANT_ROLES, type ParticipantRole } from '@pharmatrace/ledger/participant-roles';
import { KEY_KINDS, ParticipantEventTypes, participantAssetId, type KeyKind } from '@pharmatrace/participants/participant-events';

export interface ReplayedParticipant {
  id: string;
  legalName: string;
  role: ParticipantRole;
  gln: string;
  licenceNumber: string;
  licenceExpiresOn: string;
  status: 'active' | 'suspended';
  statusReason: string | null;
  registeredSeq: number;
  updatedSeq: number;
  /** The event that set the current status (for messages). */
  statusSeq: number;
}

export interface ReplayedKey {
  kid: string;
  participantId: string;
  publicKey: string;
  publicKeyBytes: Uint8Array;
  label: string;
  kind: KeyKind;
  status: 'active' | 'revoked';
  addedSeq: number;
  revokedSeq: number | null;
  revokedReason: string | null;
}

/** A participant as a source stores it; fields a source cannot see are left out and not compared. */
export interface StoredParticipant {
  id: string;
  legalName: string;
  role: string;
  gln: string;
  licenceNumber: string;
  licenceExpiresOn: string;
  status: string;
  statusReason: string | null;
  registeredSeq?: number;
  updatedSeq?: number;
}

export interface StoredKey {
  kid: string;
  participantId: string;
  publicKey: string;
  label: string;
  kind: string;
  status: string;
  addedSeq: number;
  revokedSeq: number | null;
  revokedReason?: string | null;
}

export interface ParticipantStateReader {
  read(): Promise<{ participants: StoredParticipant[]; keys: StoredKey[] }>;
}

/** Thrown inside a rule: the reason the server would have refused the event. */
class Refusal extends Error {}

const refuse = (why: string): never => {
  throw new Refusal(why);
};

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse(`${path} is not an object`);
  return value as Json;
}

function text(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') return refuse(`${path}.${key} is not a non-empty string`);
  return v;
}

const REGULATOR_ONLY = new Set<string>([
  ParticipantEventTypes.registered,
  ParticipantEventTypes.suspended,
  ParticipantEventTypes.reinstated,
  ParticipantEventTypes.licenceRenewed,
]);

export class ParticipantReplay {
  readonly participants = new Map<string, ReplayedParticipant>();
  readonly keys = new Map<string, ReplayedKey>();

  /** The genesis event: the first registration, self-signed by a regulator with a key it registers. */
  isGenesis(event: EventEnvelope): boolean {
    return this.participants.size === 0 && event.type === ParticipantEventTypes.registered;
  }

  /** Applies a participant.* event (others are not ours); returns why the rules would refuse it, or null. */
  apply(event: EventEnvelope, seq: number): string | null {
    if (!event.type.startsWith('participant.')) return null;
    try {
      this.applyOrRefuse(event, seq);
      return null;
    } catch (e) {
      if (e instanceof Refusal) return e.message;
      throw e;
    }
  }

  private applyOrRefuse(event: EventEnvelope, seq: number): void {
    const genesis = this.isGenesis(event);
    const signerRole = genesis ? 'regulator' : this.participants.get(event.actor)?.role;
    if (REGULATOR_ONLY.has(event.type) && signerRole !== 'regulator') refuse(`a ${signerRole ?? 'unregistered actor'} may not sign ${event.type}`);
    const data = object(event.data, 'data');
    const owned = (participant: string): ReplayedParticipant => {
      if (signerRole !== 'regulator' && event.actor !== participant) refuse(`only ${participant} itself or a regulator may change its keys`);
      return this.require(participant);
    };
    switch (event.type) {
      case ParticipantEventTypes.registered:
        return this.register(event, data, seq, genesis);
      case ParticipantEventTypes.suspended:
      case ParticipantEventTypes.reinstated: {
        const p = this.touch(event, text(data, 'participant', 'data'), seq);
        const to = event.type === ParticipantEventTypes.suspended ? 'suspended' : 'active';
        if (p.status === to) refuse(`participant ${p.id} is already ${to} (since event #${p.statusSeq})`);
        Object.assign(p, { status: to, statusReason: text(data, 'reason', 'data'), statusSeq: seq });
        return;
      }
      case ParticipantEventTypes.licenceRenewed: {
        const p = this.touch(event, text(data, 'participant', 'data'), seq);
        const licence = object(data.licence, 'data.licence');
        Object.assign(p, { licenceNumber: text(licence, 'number', 'data.licence'), licenceExpiresOn: text(licence, 'expiresOn', 'data.licence') });
        return;
      }
      case ParticipantEventTypes.keyAdded: {
        const p = owned(text(data, 'participant', 'data'));
        this.addKey(p.id, readKey(data.key, 'data.key'), seq);
        this.touch(event, p.id, seq);
        return;
      }
      case ParticipantEventTypes.keyRevoked: {
        const p = owned(text(data, 'participant', 'data'));
        this.revokeKey(p.id, text(data, 'kid', 'data'), text(data, 'reason', 'data'), seq);
        if (![...this.keys.values()].some((k) => k.participantId === p.id && k.status === 'active')) refuse(`it revokes the last active key of ${p.id}`);
        this.touch(event, p.id, seq);
        return;
      }
      case ParticipantEventTypes.keyRotated: {
        const p = owned(text(data, 'participant', 'data'));
        const key = readKey(data.key, 'data.key');
        this.addKey(p.id, key, seq);
        this.revokeKey(p.id, text(data, 'revoke', 'data'), `rotated to ${key.kid}`, seq);
        this.touch(event, p.id, seq);
        return;
      }
      default:
        return refuse(`${event.type} is not a participant event type this audit knows`);
    }
  }

  private register(event: EventEnvelope, data: Json, seq: number, genesis: boolean): void {
    const p = object(data.participant, 'data.participant');
    const id = text(p, 'id', 'data.participant');
    const role = text(p, 'role', 'data.participant');
    if (!(PARTICIPANT_ROLES as readonly string[]).includes(role)) refuse(`data.participant.role "${role}" is not a role`);
    if (genesis && role !== 'regulator') refuse('the first participant of a deployment must be a regulator');
    const gln = text(p, 'gln', 'data.participant');
    const licence = object(p.licence, 'data.participant.licence');
    expectAsset(event, id);
    const existing = this.participants.get(id);
    if (existing) refuse(`participant ${id} was already registered by event #${existing.registeredSeq}`);
    const glnOwner = [...this.participants.values()].find((o) => o.gln === gln);
    if (glnOwner) refuse(`GLN ${gln} already belongs to ${glnOwner.id}`);
    if (!Array.isArray(data.keys) || data.keys.length === 0) refuse('data.keys must list at least one key');
    const keys = (data.keys as unknown[]).map((k, i) => readKey(k, `data.keys[${i}]`));
    if (new Set(keys.map((k) => k.kid)).size !== keys.length) refuse('the same key is listed twice');
    this.participants.set(id, {
      id,
      legalName: text(p, 'legalName', 'data.participant'),
      role: role as ParticipantRole,
      gln,
      licenceNumber: text(licence, 'number', 'data.participant.licence'),
      licenceExpiresOn: text(licence, 'expiresOn', 'data.participant.licence'),
      status: 'active',
      statusReason: null,
      registeredSeq: seq,
      updatedSeq: seq,
      statusSeq: seq,
    });
    for (const key of keys) this.addKey(id, key, seq);
  }

  private require(id: string): ReplayedParticipant {
    return this.participants.get(id) ?? refuse(`participant ${id} is not registered`);
  }

  private touch(event: EventEnvelope, id: string, seq: number): ReplayedParticipant {
    const p = this.require(id);
    expectAsset(event, id);
    p.updatedSeq = seq;
    return p;
  }

  private addKey(participantId: string, key: Omit<ReplayedKey, 'participantId' | 'status' | 'addedSeq' | 'revokedSeq' | 'revokedReason'>, seq: number): void {
    const existing = this.keys.get(key.kid);
    if (existing) refuse(`key ${key.kid} is already registered (to ${existing.participantId}, by event #${existing.addedSeq})`);
    this.keys.set(key.kid, { ...key, participantId, status: 'active', addedSeq: seq, revokedSeq: null, revokedReason: null });
  }

  private revokeKey(participantId: string, kid: string, reason: string, seq: number): void {
    const key = this.keys.get(kid);
    if (!key || key.participantId !== participantId) return refuse(`key ${kid} is not registered to ${participantId}`);
    if (key.status === 'revoked') refuse(`key ${kid} was already revoked by event #${key.revokedSeq}`);
    Object.assign(key, { status: 'revoked', revokedSeq: seq, revokedReason: reason });
  }
}

function readKey(value: unknown, path: string): Omit<ReplayedKey, 'participantId' | 'status' | 'addedSeq' | 'revokedSeq' | 'revokedReason'> {
  const k = object(value, path);
  const kid = text(k, 'kid', path);
  const publicKey = text(k, 'publicKey', path);
  const kind = text(k, 'kind', path);
  if (!(KEY_KINDS as readonly string[]).includes(kind)) refuse(`${path}.kind "${kind}" is not a key kind`);
  let bytes: Uint8Array | null = null;
  try {
    bytes = fromBase64Url(publicKey);
  } catch {
    bytes = null;
  }
  if (bytes === null || !isValidPublicKey(bytes)) return refuse(`${path}.publicKey is not an Ed25519 public key`);
  if (keyIdOf(bytes) !== kid) refuse(`${path}.kid must be ${keyIdOf(bytes)} for its public key`);
  return { kid, publicKey, publicKeyBytes: bytes, label: text(k, 'label', path), kind: kind as KeyKind };
}

/** A participant event touches exactly one asset: the participant it is about. */
function expectAsset(event: EventEnvelope, participantId: string): void {
  const wanted = participantAssetId(participantId);
  if (event.assets.length !== 1 || event.assets[0].id !== wanted) refuse(`it must touch exactly one asset, ${wanted}`);
}
