// The witness's memory on disk: the pinned ledger key and the last verified head. Written whole to a
// temporary file and renamed, so a crash never leaves half a state (which would look like a rewrite).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { WitnessSetupError, type WitnessState } from './witness';

export function readWitnessState(path: string): WitnessState | null {
  if (!existsSync(path)) return null;
  let state: WitnessState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as WitnessState;
  } catch (e) {
    throw new WitnessSetupError(`${path} cannot be read as a witness state file: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (state?.format !== 'pharmatrace-witness/v1' || typeof state.ledgerKey?.publicKey !== 'string') {
    throw new WitnessSetupError(`${path} is not a PharmaTrace witness state file.`);
  }
  return state;
}

export function writeWitnessState(path: string, state: WitnessState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}
