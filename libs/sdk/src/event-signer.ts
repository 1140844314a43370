import { AssetRef, EventData, EventEnvelope, fromBase64Url, SignedEvent, signEvent } from '@pharmatrace/ledger-core';
import { KeyFile } from './key-file';
import { uuidv7 } from './uuidv7';

export interface EventDraft<D extends EventData> {
  type: string;
  assets: AssetRef[];
  data: D;
  /** Defaults to a fresh UUIDv7. Reuse the same id (and event) to retry safely. */
  id?: string;
  /** Defaults to now. */
  at?: Date;
}

/** Builds and signs an event envelope with a participant's key file. */
export function signDraft<D extends EventData>(key: KeyFile, draft: EventDraft<D>): SignedEvent<D> {
  if (!key.participantId) throw new Error('This key file has no participantId yet; register the participant first.');
  const event: EventEnvelope<D> = {
    type: draft.type,
    id: draft.id ?? uuidv7(),
    actor: key.participantId,
    kid: key.kid,
    at: (draft.at ?? new Date()).toISOString(),
    assets: draft.assets,
    data: draft.data,
  };
  return signEvent(event, fromBase64Url(key.secretKey));
}
