import { EntityManager } from 'typeorm';
import { fromBase64Url } from '@pharmatrace/ledger-core';
import { ParticipantRole, SignerDirectory, SignerLookup } from '@pharmatrace/ledger';

interface Row {
  id: string;
  role: ParticipantRole;
  status: 'active' | 'suspended';
  licence_expires_on: string;
  kid: string | null;
  key_status: 'active' | 'revoked' | null;
  public_key: string | null;
}

/** Answers "who signed this?" for the pipeline, from the participants and their keys. */
export class ParticipantSignerDirectory implements SignerDirectory {
  async findSigner(m: EntityManager, actor: string, kid: string): Promise<SignerLookup> {
    const rows: Row[] = await m.query(
      `SELECT p.id, p.role, p.status, to_char(p.licence_expires_on, 'YYYY-MM-DD') AS licence_expires_on,
              k.kid, k.status AS key_status, k.public_key
         FROM participants p LEFT JOIN participant_keys k ON k.participant_id = p.id AND k.kid = $2
        WHERE p.id = $1`,
      [actor, kid],
    );
    const row = rows[0];
    if (!row) return { found: false, reason: 'UNKNOWN_ACTOR' };
    if (!row.kid || !row.public_key || !row.key_status) return { found: false, reason: 'UNKNOWN_KEY' };
    return {
      found: true,
      signer: {
        participantId: row.id,
        role: row.role,
        status: row.status,
        kid: row.kid,
        keyStatus: row.key_status,
        publicKey: fromBase64Url(row.public_key),
        licenceExpiresOn: row.licence_expires_on,
      },
    };
  }
}
