// Framework-free on purpose: the SDK imports this file directly.
export const PARTICIPANT_ROLES = ['supplier', 'manufacturer', 'wholesaler', 'pharmacy', 'prescriber', 'regulator'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** The ledger itself signs system events (e.g. an automatic quarantine) with its sealing key. */
export const SYSTEM_ACTOR = 'ledger';
export type SignerRole = ParticipantRole | 'system';
