// Shapes of the API's answers as the SDK reads them (see apps/api/schema.graphql).

export interface Receipt {
  index: number;
  seq: number;
  hash: string;
  eventId: string;
  type: string;
  duplicate: boolean;
  result: Record<string, unknown>;
}
export const RECEIPT_FIELDS = 'index seq hash eventId type duplicate result';

export interface KeyView {
  kid: string;
  publicKey: string;
  label: string;
  kind: string;
  status: 'active' | 'revoked';
  addedSeq: number;
  revokedSeq: number | null;
}

export interface ParticipantView {
  id: string;
  legalName: string;
  role: string;
  gln: string;
  licenceNumber: string;
  licenceExpiresOn: string;
  status: 'active' | 'suspended';
  statusReason: string | null;
  assetId: string;
  keys: KeyView[];
}
export const PARTICIPANT_FIELDS =
  'id legalName role gln licenceNumber licenceExpiresOn status statusReason assetId keys { kid publicKey label kind status addedSeq revokedSeq }';

export const BLOCK_FIELDS = 'header { height prevHeaderHash treeSize rootHash firstSeq lastSeq sealedAt } headerHash kid sig';
export const PROVEN_EVENT_FIELDS = `seq hash type event sig inclusion { leafIndex treeSize hashes } block { ${BLOCK_FIELDS} }`;
