// The one place where PharmaTrace error codes are defined. Codes are a stable API: clients branch on
// them (GraphQL `extensions.code`), so a code is never renamed or reused for another meaning.
export const ErrorCodes = {
  // envelope and signature
  INVALID_ENVELOPE: 'The event envelope is malformed.',
  MALFORMED_SIGNATURE: 'The signature is not a base64url Ed25519 signature.',
  BAD_SIGNATURE: 'The signature does not match the event and the key.',
  UNKNOWN_KEY: 'The key id is not registered to this participant.',
  KEY_REVOKED: 'The key was revoked and can no longer sign.',
  UNKNOWN_ACTOR: 'The acting participant is not registered.',
  ACTOR_SUSPENDED: 'The acting participant is suspended.',
  ACTOR_MISMATCH: 'The event must be signed by the signed-in participant.',
  FORBIDDEN_ROLE: 'The participant’s role may not perform this action.',
  CLOCK_SKEW: 'The event time is too far from the server time.',
  UNKNOWN_EVENT_TYPE: 'The event type is not supported.',
  INVALID_EVENT_DATA: 'The event data is invalid for its type.',
  // chains and replay
  STALE_PREV: 'An asset’s prev is not its current head.',
  ASSET_EXISTS: 'An item with this id already exists.',
  EVENT_ID_REUSED: 'This event id was already used for a different event.',
  BATCH_REJECTED: 'The batch was rejected; nothing was stored.',
  BATCH_TOO_LARGE: 'The batch holds too many events.',
  // participants and keys
  PARTICIPANT_EXISTS: 'A participant with this id already exists.',
  GLN_TAKEN: 'Another participant already has this GLN.',
  INVALID_GLN: 'The GLN is not a valid 13-digit GS1 Global Location Number.',
  UNKNOWN_PARTICIPANT: 'No participant with this id exists.',
  KEY_EXISTS: 'This key is already registered.',
  INVALID_PUBLIC_KEY: 'The public key is not a valid Ed25519 key.',
  NOT_OWNER: 'Only the participant itself or a regulator may change this participant’s keys.',
  LAST_ACTIVE_KEY: 'The participant’s last active key cannot be revoked.',
  ALREADY_SUSPENDED: 'The participant is already suspended.',
  NOT_SUSPENDED: 'The participant is not suspended.',
  LICENCE_EXPIRED: 'The participant’s licence has expired.',
  GENESIS_EXISTS: 'This deployment is already initialised.',
  // sign-in
  UNAUTHENTICATED: 'Sign in first.',
  CHALLENGE_INVALID: 'The sign-in challenge is unknown, used or expired.',
  SESSION_EXPIRED: 'The session token is unknown or expired.',
  // generic
  BAD_REQUEST: 'The request is invalid.',
  NOT_FOUND: 'Not found.',
  INTERNAL: 'Internal error.',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;
