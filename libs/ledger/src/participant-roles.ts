// Framework-free on purpose: the SDK imports this file directly.
export const PARTICIPANT_ROLES = ['supplier', 'manufacturer', 'wholesaler', 'pharmacy', 'prescriber', 'regulator'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];
