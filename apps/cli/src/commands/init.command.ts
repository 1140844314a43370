// `cli init`: creates the first regulator of a new deployment and its key, against the database
// directly. The private key is written only to the operator's file.
import { existsSync } from 'node:fs';
import { loadConfig } from '@pharmatrace/config';
import { generateKeyFile, genesisEvent, writeKeyFile } from '@pharmatrace/sdk';
import { flags, required, UsageError } from '../args';
import { databaseSide } from '../load-database-side';

export async function initCommand(argv: string[]): Promise<void> {
  const f = flags(argv, ['id', 'name', 'gln', 'licence', 'licence-expires', 'key-out']);
  const keyOut = required(f, 'key-out');
  if (existsSync(keyOut)) throw new UsageError(`${keyOut} already exists; choose another path for the new key.`);
  const id = required(f, 'id');
  const key = generateKeyFile(`${required(f, 'name')} operator`, 'operator', id);
  const signed = genesisEvent(key, {
    id,
    legalName: required(f, 'name'),
    gln: required(f, 'gln'),
    licence: { number: required(f, 'licence'), expiresOn: required(f, 'licence-expires') },
  });
  // The database side loads only here: the rest of the CLI starts without Nest or TypeORM.
  const { startRuntime, createCliContext, EventPipeline } = databaseSide();
  const runtime = await startRuntime(loadConfig(), { migrate: true });
  const ctx = await createCliContext(runtime);
  try {
    const receipt = await ctx.get(EventPipeline).submitOne(signed);
    writeKeyFile(keyOut, key);
    console.log(`Regulator ${id} registered (event ${receipt.hash}, seq ${receipt.seq}).`);
    console.log(`Its private key is in ${keyOut} (mode 600); keep it safe: the server does not have it.`);
  } finally {
    await ctx.close();
    await runtime.close();
  }
}
