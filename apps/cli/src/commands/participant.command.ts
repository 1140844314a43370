// Participant and key events through the API, signed with the operator's key file.
import { PARTICIPANT_ROLES, ParticipantRole } from '@pharmatrace/ledger/participant-roles';
import {
  addKey,
  keySpecOf,
  PharmaTraceClient,
  readKeyFile,
  registerParticipant,
  reinstateParticipant,
  renewLicence,
  revokeKey,
  rotateKey,
  suspendParticipant,
  writeKeyFile,
} from '@pharmatrace/sdk';
import { flags, required, UsageError } from '../args';

const client = (f: Record<string, string | undefined>) => new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key')));

/** `cli participant register|suspend|reinstate|renew-licence ...` */
export async function participantCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'register') {
    const f = flags(rest, ['server', 'key', 'id', 'name', 'role', 'gln', 'licence', 'licence-expires', 'participant-key']);
    const role = required(f, 'role') as ParticipantRole;
    if (!PARTICIPANT_ROLES.includes(role)) throw new UsageError(`--role must be one of ${PARTICIPANT_ROLES.join(', ')}`);
    const keyPath = required(f, 'participant-key');
    const newKey = readKeyFile(keyPath);
    const id = required(f, 'id');
    const receipt = await registerParticipant(client(f), {
      id,
      legalName: required(f, 'name'),
      role,
      gln: required(f, 'gln'),
      licence: { number: required(f, 'licence'), expiresOn: required(f, 'licence-expires') },
      keys: [keySpecOf(newKey)],
    });
    if (newKey.participantId !== id) writeKeyFile(keyPath, { ...newKey, participantId: id }, { overwrite: true });
    console.log(JSON.stringify(receipt));
    return;
  }
  if (sub === 'suspend' || sub === 'reinstate') {
    const f = flags(rest, ['server', 'key', 'id', 'reason']);
    const op = sub === 'suspend' ? suspendParticipant : reinstateParticipant;
    console.log(JSON.stringify(await op(client(f), required(f, 'id'), required(f, 'reason'))));
    return;
  }
  if (sub === 'renew-licence') {
    const f = flags(rest, ['server', 'key', 'id', 'licence', 'expires']);
    const expiresOn = required(f, 'expires');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn)) throw new UsageError('--expires must be a date, YYYY-MM-DD');
    console.log(JSON.stringify(await renewLicence(client(f), required(f, 'id'), { number: required(f, 'licence'), expiresOn })));
    return;
  }
  throw new UsageError('participant register|suspend|reinstate|renew-licence');
}

/** `cli key add|revoke|rotate ...` */
export async function keyCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const f = flags(rest, ['server', 'key', 'participant', 'new-key', 'kid', 'reason']);
  const c = client(f);
  const participant = f.participant ?? c.participantId;
  if (sub === 'add') {
    console.log(JSON.stringify(await addKey(c, participant, keySpecOf(readKeyFile(required(f, 'new-key'))))));
  } else if (sub === 'revoke') {
    console.log(JSON.stringify(await revokeKey(c, participant, required(f, 'kid'), required(f, 'reason'))));
  } else if (sub === 'rotate') {
    console.log(JSON.stringify(await rotateKey(c, participant, required(f, 'kid'), keySpecOf(readKeyFile(required(f, 'new-key'))))));
  } else {
    throw new UsageError('key add|revoke|rotate');
  }
}
