import { KEY_KINDS, KeyKind } from '@pharmatrace/participants/participant-events';
import { generateKeyFile, readKeyFile, writeKeyFile } from '@pharmatrace/sdk';
import { flags, required, UsageError } from '../args';

/** `cli keys generate --out FILE [--label L] [--kind operator|terminal|logger] [--participant ID]` */
export async function keysCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'generate') {
    const f = flags(rest, ['out', 'label', 'kind', 'participant']);
    const kind = (f.kind ?? 'operator') as KeyKind;
    if (!KEY_KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KEY_KINDS.join(', ')}`);
    const key = generateKeyFile(f.label ?? 'operator key', kind, f.participant ?? null);
    writeKeyFile(required(f, 'out'), key);
    console.log(JSON.stringify({ kid: key.kid, publicKey: key.publicKey, file: f.out }));
    return;
  }
  if (sub === 'show') {
    const f = flags(rest, ['file']);
    const key = readKeyFile(required(f, 'file'));
    console.log(JSON.stringify({ participantId: key.participantId, kid: key.kid, publicKey: key.publicKey, label: key.label, kind: key.kind }));
    return;
  }
  throw new UsageError('keys generate|show');
}
