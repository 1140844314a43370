// Parsers for participant and key event payloads (version 1), shared by the rules.
import { EventEnvelope, findControlCharacter, fromBase64Url, isValidPublicKey, keyIdOf } from '@pharmatrace/ledger-core';
import { EventDataReader, PARTICIPANT_ROLES, SYSTEM_ACTOR } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { glnProblem } from '@pharmatrace/gs1';
import {
  KEY_KINDS,
  KeySpec,
  Licence,
  PARTICIPANT_ID_PATTERN,
  participantAssetId,
} from '../participant-events';

export function readKeySpec(r: EventDataReader): KeySpec {
  const kid = r.string('kid', { max: 128 });
  const publicKey = r.string('publicKey', { max: 64 });
  const label = r.string('label', { max: 120 });
  const kind = r.oneOf('kind', KEY_KINDS);
  r.done();
  let raw: Uint8Array;
  try {
    raw = fromBase64Url(publicKey);
  } catch {
    throw new DomainError('INVALID_PUBLIC_KEY', 'The public key must be base64url of 32 raw Ed25519 bytes.');
  }
  if (!isValidPublicKey(raw)) throw new DomainError('INVALID_PUBLIC_KEY', 'The public key is not a valid Ed25519 point.');
  if (keyIdOf(raw) !== kid) throw new DomainError('INVALID_EVENT_DATA', `The kid must be ${keyIdOf(raw)} for this public key.`);
  return { kid, publicKey, label, kind };
}

export function readLicence(r: EventDataReader): Licence {
  const licence = { number: r.string('number', { max: 64 }), expiresOn: r.date('expiresOn') };
  r.done();
  return licence;
}

export function readParticipantId(r: EventDataReader, key: string): string {
  const id = r.string(key, { max: 64, pattern: PARTICIPANT_ID_PATTERN, hint: 'must be 3–64 letters, digits, ".", "_" or "-"' });
  if (id === SYSTEM_ACTOR) throw new DomainError('INVALID_EVENT_DATA', `"${SYSTEM_ACTOR}" is reserved for the ledger's own system events.`);
  return id;
}

export function readRole(r: EventDataReader) {
  return r.oneOf('role', PARTICIPANT_ROLES);
}

export function readGln(r: EventDataReader): string {
  const gln = r.string('gln', { max: 13 });
  const problem = glnProblem(gln);
  if (problem) throw new DomainError('INVALID_GLN', problem);
  return gln;
}

/** The optional town a participant operates in (shown on the patient page): 1–100 characters of one line of plain text, or null when absent. */
export function readTown(r: EventDataReader): string | null {
  const town = r.optionalString('town', { max: 100 });
  if (town === null) return null;
  const found = findControlCharacter(town);
  if (found) {
    throw new DomainError(
      'INVALID_EVENT_DATA',
      `participant.town must not contain ${found.codePoint} (${found.name}), found at character ${found.index + 1}: it must be one line of plain text; remove it and sign again.`,
      { path: 'participant.town', character: found.codePoint },
    );
  }
  return town;
}

/** A participant event touches exactly one asset: the participant it is about. */
export function expectParticipantAsset(event: EventEnvelope, participantId: string): void {
  const wanted = participantAssetId(participantId);
  if (event.assets.length !== 1 || event.assets[0].id !== wanted) {
    throw new DomainError('INVALID_EVENT_DATA', `This event must list exactly one asset, ${wanted}, with its prev.`);
  }
}
