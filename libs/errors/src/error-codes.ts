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
  /** No longer raised: a creating event on a taken id answers ALREADY_REGISTERED. Kept, as codes are never reused. */
  ASSET_EXISTS: 'An item with this id already exists.',
  ALREADY_REGISTERED: 'An item or participant with this id is already registered; choose another id.',
  EVENT_ID_REUSED: 'This event id was already used for a different event.',
  BATCH_REJECTED: 'The batch was rejected; nothing was stored.',
  BATCH_TOO_LARGE: 'The batch holds too many events.',
  // participants and keys
  /** No longer raised: registering a taken participant id answers ALREADY_REGISTERED. Kept, as codes are never reused. */
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
  LAST_ACTIVE_REGULATOR: 'This would leave no active regulator able to act (and so nobody able to reinstate anyone).',
  GENESIS_EXISTS: 'This deployment is already initialised.',
  // catalog and custody
  INVALID_GTIN: 'The GTIN is not 8, 12, 13 or 14 digits with a valid GS1 check digit.',
  INVALID_SSCC: 'The SSCC is not 18 digits with a valid GS1 check digit.',
  INVALID_SERIAL: 'The serial is not a valid GS1 AI (21) serial number.',
  UNKNOWN_PRODUCT: 'No product with this GTIN is registered.',
  UNKNOWN_BATCH: 'No batch with this GTIN and lot is registered.',
  NOT_PRODUCT_OWNER: 'Only the manufacturer that registered the product may do this.',
  ALREADY_EXPIRED: 'The expiry date has already passed.',
  DATE_IN_FUTURE: 'A date that must already have happened (manufacture, issue) is in the future.',
  EXPIRY_BEFORE_MANUFACTURE: 'The expiry date is not after the manufacture date.',
  BATCH_QUANTITY_EXCEEDED: 'More packs than the batch quantity would be commissioned.',
  INGREDIENT_NOT_AVAILABLE: 'An ingredient lot is not in your custody or not active.',
  UNKNOWN_ITEM: 'No item with this id is registered.',
  NOT_CUSTODIAN: 'The item is not in your custody.',
  ITEM_PACKED: 'The item is packed in a container; act on the container or unpack it first.',
  ITEM_NOT_AVAILABLE: 'The item’s state does not allow this.',
  CONTAINER_INVALID: 'The container cannot hold these items.',
  RECIPIENT_INVALID: 'The recipient cannot receive this shipment.',
  UNKNOWN_SHIPMENT: 'No shipment with this id exists.',
  SHIPMENT_NOT_FOR_YOU: 'The shipment is addressed to another participant.',
  SHIPMENT_CLOSED: 'The shipment was already received, refused or voided.',
  NOT_SHIPMENT_SENDER: 'Only the shipment’s sender may void it.',
  // cold chain
  KEY_KIND_NOT_ALLOWED: 'This kind of key may not sign this event (temperature readings need a logger or operator key).',
  READING_IN_FUTURE: 'A reading is timed after the event that uploads it.',
  READING_CONFLICT: 'A reading for this subject, key and instant was already recorded with a different value.',
  READINGS_OUTSIDE_CUSTODY: 'Every reading was taken after the subject left the signer’s custody (a shipment after its receipt, refusal or void), so none could count.',
  ALREADY_QUARANTINED: 'The item is already quarantined.',
  NOT_QUARANTINED: 'The item is not quarantined, so there is nothing to release.',
  // sign-in
  UNAUTHENTICATED: 'Sign in first.',
  CHALLENGE_INVALID: 'The sign-in challenge is unknown, used or expired.',
  SESSION_EXPIRED: 'The session token is unknown or expired.',
  // input that cannot be stored as sent
  INVALID_CHARACTER: 'A text value holds a character that cannot be stored (U+0000 or an unpaired surrogate).',
  INVALID_TIMESTAMP: 'A time is not a real UTC instant written as YYYY-MM-DDTHH:MM:SS(.sss)Z with a year 0001–9999.',
  // request limits
  QUERY_TOO_COSTLY: 'The operation would exceed the per-request budget (cost, aliases or depth).',
  QUERY_TIMEOUT: 'The query ran longer than the per-request time limit.',
  RESPONSE_TOO_LARGE: 'The response would exceed the per-request size limit.',
  RATE_LIMITED: 'Too many requests; wait and retry.',
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be JSON (Content-Type: application/json).',
  // generic
  BAD_REQUEST: 'The request is invalid.',
  NOT_FOUND: 'Not found.',
  INTERNAL: 'Internal error.',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;
