// Participant and key events, as a regulator or the participant itself signs them.
import { SignedEvent } from '@pharmatrace/ledger-core';
import {
  KeyAddedData,
  KeyRevokedData,
  KeyRotatedData,
  KeySpec,
  Licence,
  LicenceRenewedData,
  ParticipantEventTypes,
  ParticipantRegisteredData,
  ParticipantStatusData,
  participantAssetId,
} from '@pharmatrace/participants/participant-events';
import type { ParticipantRole } from '@pharmatrace/ledger/participant-roles';
import { KeyFile, keySpecOf } from './key-file';
import { signDraft } from './event-signer';
import type { PharmaTraceClient } from './pharmatrace-client';
import { type Receipt, RECEIPT_FIELDS } from './api-types';

export interface NewParticipant {
  id: string;
  legalName: string;
  role: ParticipantRole;
  gln: string;
  /** The town it operates in, 1–100 characters (optional; shown on the patient page). */
  town?: string;
  licence: Licence;
  keys: KeySpec[];
}

function registeredData(p: NewParticipant): ParticipantRegisteredData {
  return {
    v: 1,
    participant: { id: p.id, legalName: p.legalName, role: p.role, gln: p.gln, licence: p.licence, ...(p.town !== undefined ? { town: p.town } : {}) },
    keys: p.keys,
  };
}

/** The self-signed event that creates a deployment's first regulator (submitted by `cli init`). */
export function genesisEvent(key: KeyFile, p: Omit<NewParticipant, 'keys' | 'role'>): SignedEvent<ParticipantRegisteredData> {
  const own: KeyFile = { ...key, participantId: p.id };
  return signDraft(own, {
    type: ParticipantEventTypes.registered,
    assets: [{ id: participantAssetId(p.id), prev: null }],
    data: registeredData({ ...p, role: 'regulator', keys: [keySpecOf(key)] }),
  });
}

export function registerParticipant(regulator: PharmaTraceClient, p: NewParticipant): Promise<Receipt> {
  return regulator.act(ParticipantEventTypes.registered, [participantAssetId(p.id)], registeredData(p), { creates: [participantAssetId(p.id)] });
}

export function suspendParticipant(regulator: PharmaTraceClient, participant: string, reason: string): Promise<Receipt> {
  const data: ParticipantStatusData = { v: 1, participant, reason };
  return regulator.act(ParticipantEventTypes.suspended, [participantAssetId(participant)], data);
}

export function reinstateParticipant(regulator: PharmaTraceClient, participant: string, reason: string): Promise<Receipt> {
  const data: ParticipantStatusData = { v: 1, participant, reason };
  return regulator.act(ParticipantEventTypes.reinstated, [participantAssetId(participant)], data);
}

/** A regulator renews a participant's licence (number and new expiry date) through the `renewLicence` mutation. */
export async function renewLicence(regulator: PharmaTraceClient, participant: string, licence: Licence): Promise<Receipt> {
  const data: LicenceRenewedData = { v: 1, participant, licence };
  const signed = await regulator.signWithHeads(ParticipantEventTypes.licenceRenewed, [participantAssetId(participant)], data);
  const r = await regulator.query<{ renewLicence: Receipt }>(`mutation($i: SignedEventInput!) { renewLicence(input: $i) { ${RECEIPT_FIELDS} } }`, { i: signed });
  return r.renewLicence;
}

export function addKey(client: PharmaTraceClient, participant: string, key: KeySpec): Promise<Receipt> {
  const data: KeyAddedData = { v: 1, participant, key };
  return client.act(ParticipantEventTypes.keyAdded, [participantAssetId(participant)], data);
}

export function revokeKey(client: PharmaTraceClient, participant: string, kid: string, reason: string): Promise<Receipt> {
  const data: KeyRevokedData = { v: 1, participant, kid, reason };
  return client.act(ParticipantEventTypes.keyRevoked, [participantAssetId(participant)], data);
}

export function rotateKey(client: PharmaTraceClient, participant: string, revoke: string, key: KeySpec): Promise<Receipt> {
  const data: KeyRotatedData = { v: 1, participant, revoke, key };
  return client.act(ParticipantEventTypes.keyRotated, [participantAssetId(participant)], data);
}
