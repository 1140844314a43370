// The files of a `cli export` folder (docs/ledger-format.md §3): each written through a running SHA-256,
// so the manifest names its length and digest without reading it again.
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export const EXPORT_FORMAT = 'pharmatrace-ledger-export/v1';
export const EXPORT_FILES = ['events.jsonl', 'blocks.jsonl', 'ledger-keys.json', 'participant-keys.json', 'manifest.json'];

/** A file written through a running SHA-256, so the manifest can name its digest without re-reading it. */
export class DigestedFile {
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private failure: Error | null = null;
  bytes = 0;

  constructor(readonly name: string, dir: string) {
    // 'wx': an export never overwrites a file, even if the folder filled up while we were starting.
    this.stream = createWriteStream(join(dir, name), { flags: 'wx' });
    this.stream.on('error', (e) => (this.failure = e));
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    const bytes = Buffer.from(text, 'utf8');
    this.hash.update(bytes);
    this.bytes += bytes.length;
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
  }

  async close(): Promise<{ file: string; bytes: number; sha256: string }> {
    this.stream.end();
    if (!this.stream.writableFinished) await once(this.stream, 'finish');
    if (this.failure) throw this.failure;
    return { file: this.name, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** A .json file: pretty for people, since only its parsed value matters (see the format document). */
export async function writeJsonFile(dir: string, name: string, value: unknown) {
  const file = new DigestedFile(name, dir);
  await file.write(`${JSON.stringify(value, null, 2)}\n`);
  return file.close();
}
