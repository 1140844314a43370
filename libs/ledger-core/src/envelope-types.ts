// Shapes and limits of the signed event envelope (DESIGN.md, "Event envelope").
import type { Problem } from './errors';

/** One item an event touches; `prev` is the hex hash of the item's head event, null only on creation. */
export interface AssetRef {
  id: string;
  prev: string | null;
}

/** Type-specific payload; `v` versions its schema so old events stay verifiable forever. */
export interface EventData {
  v: number;
  [key: string]: unknown;
}

export interface EventEnvelope<D extends EventData = EventData> {
  type: string;
  id: string;
  actor: string;
  kid: string;
  at: string;
  assets: AssetRef[];
  data: D;
}

/** `sig` is base64url (no padding) of the 64-byte Ed25519 signature. */
export interface SignedEvent<D extends EventData = EventData> {
  event: EventEnvelope<D>;
  sig: string;
}

export const EVENT_SIGNATURE_CONTEXT = 'PharmaTrace/event/v1';
export const MAX_EVENT_BYTES = 65536;
export const MAX_ASSETS_PER_EVENT = 1000;

export type EnvelopeProblem = Problem;

export type EnvelopeCheck<D extends EventData = EventData> =
  | { ok: true; event: EventEnvelope<D> }
  | { ok: false; problems: EnvelopeProblem[] };

export type EventVerdict =
  | { ok: true; hash: string }
  | {
      ok: false;
      code: 'INVALID_ENVELOPE' | 'MALFORMED_SIGNATURE' | 'BAD_SIGNATURE' | 'KEY_MISMATCH';
      message: string;
      problems?: EnvelopeProblem[];
    };
