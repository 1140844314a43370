// Event types and payloads of participants and their keys (data version 1). Framework-free: the SDK
// builds these payloads with the same types the server checks them with.
import type { ParticipantRole } from '@pharmatrace/ledger/participant-roles';

export const ParticipantEventTypes = {
  registered: 'participant.registered',
  suspended: 'participant.suspended',
  reinstated: 'participant.reinstated',
  licenceRenewed: 'participant.licence_renewed',
  keyAdded: 'participant.key_added',
  keyRevoked: 'participant.key_revoked',
  keyRotated: 'participant.key_rotated',
} as const;

export const KEY_KINDS = ['operator', 'terminal', 'logger'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export const PARTICIPANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/** Each participant is an asset on the ledger; all its events chain on this id. */
export const participantAssetId = (participantId: string): string => `participant:${participantId}`;

/** The ALREADY_REGISTERED sentence for a participant id that is taken. */
export const participantAlreadyRegistered = (assetId: string): string => {
  const id = assetId.startsWith('participant:') ? assetId.slice('participant:'.length) : assetId;
  return `Participant ${id} is already registered; choose another participant id (to change an existing one, renew its licence, suspend or reinstate it).`;
};

export interface KeySpec {
  kid: string;
  /** base64url of the raw 32-byte Ed25519 public key */
  publicKey: string;
  label: string;
  kind: KeyKind;
}

export interface Licence {
  number: string;
  /** YYYY-MM-DD */
  expiresOn: string;
}

export type ParticipantRegisteredData = {
  v: 1;
  /** `town`: where it operates, 1–100 characters of plain text; optional (events before it was added lack it), shown on the patient page. */
  participant: { id: string; legalName: string; role: ParticipantRole; gln: string; licence: Licence; town?: string };
  keys: KeySpec[];
};
export type ParticipantStatusData = {
  v: 1;
  participant: string;
  reason: string;
};
export type LicenceRenewedData = {
  v: 1;
  participant: string;
  licence: Licence;
};
export type KeyAddedData = {
  v: 1;
  participant: string;
  key: KeySpec;
};
export type KeyRevokedData = {
  v: 1;
  participant: string;
  kid: string;
  reason: string;
};
export type KeyRotatedData = {
  v: 1;
  participant: string;
  revoke: string;
  key: KeySpec;
};
