// A verifier of `cli export` folders written from docs/ledger-format.md alone, as an outside auditor
// would: node:crypto and an RFC 8785 library, nothing from PharmaTrace. If the format document is
// wrong or incomplete, this file disagrees with the real ledger and the export suite fails.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import canonicalize from 'canonicalize';

/** What was checked: every count is of things recomputed and found equal, not of lines read. */
export interface ExportReport {
  events: number; eventSignatures: number; blocks: number; roots: number; keyChanges: number; unsealed: number;
  latest: { height: number; headerHash: string; rootHash: string } | null;
}
export type ExportVerdict = { ok: true; report: ExportReport } | { ok: false; code: string; message: string; report: ExportReport };
export interface VerifyOptions {
  /** base64url ledger public keys obtained independently of the export (doc §3.3). */
  trustedLedgerKeys?: string[];
}

class Failure extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}
function check(condition: unknown, code: string, message: string): asserts condition {
  if (!condition) throw new Failure(code, message);
}

// §2 and §4 constants.
const FORMAT = 'pharmatrace-ledger-export/v1';
const EVENT_CONTEXT = Buffer.from('506861726d6154726163652f6576656e742f7631', 'hex');
const BLOCK_CONTEXT = Buffer.from('506861726d6154726163652f626c6f636b2f7631', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const SMALL_ORDER_Y = new Set([
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
]);
const HEX64 = /^[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
// §3.1 envelope rules. Lengths are UTF-16 code units (§2 "text lengths"): JavaScript's `.length`, and
// regular expressions without the `u` flag, count exactly those.
const TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ASSET_ID = /^[^\s\u0000-\u001f\u007f]{1,200}$/;
const MAX_BODY_BYTES = 65_536;
const MAX_ASSETS = 1000;
// §6.2: the reserved actor of system events, signed by a ledger key.
const SYSTEM_ACTOR = 'ledger';
// §7.1: the one event type that creates item chains it does not list.
const COMMISSIONED = 'custody.commissioned';
const BATCH_ID = /^batch:(\d{14})\/(.+)$/;
// §2 timestamps: a real UTC date and time (no 30 February), block headers always with milliseconds (§3.2).
const SEALED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const realTime = (v: unknown): v is string => {
  if (typeof v !== 'string' || !TIMESTAMP.test(v)) return false;
  const t = new Date(v);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 19) === v.slice(0, 19);
};
const boundedText = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= min && v.length <= max;

const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const canonical = (value: unknown): string => canonicalize(value) ?? '';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const hasExactly = (v: Record<string, unknown>, names: string[]): boolean => canonical(Object.keys(v).sort()) === canonical([...names].sort());

/** §2: strict base64url — re-encoding the bytes must give the same text back. */
function base64url(text: unknown, bytes: number, what: string): Buffer {
  const out = typeof text === 'string' && /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url') : null;
  check(out && out.length === bytes && out.toString('base64url') === text, 'MALFORMED_ENCODING', `${what} is not strict base64url of ${bytes} bytes`);
  return out;
}

function modPow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  for (let b = ((base % P) + P) % P, e = exp; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) result = (result * b) % P;
  return result;
}

/** §4.3 rules 1–3, which OpenSSL does not check: canonical y, not small order, on the curve. */
function isStrictPublicKey(key: Buffer): boolean {
  const low = Buffer.from(key);
  low[31] &= 0x7f;
  const y = BigInt(`0x${Buffer.from(low).reverse().toString('hex')}`);
  if (y >= P || SMALL_ORDER_Y.has(low.toString('hex'))) return false;
  const d = (-121665n * modPow(121666n, P - 2n)) % P;
  const legendre = modPow((y * y - 1n) * modPow(d * y * y + 1n, P - 2n), (P - 1n) / 2n);
  return legendre === 0n || legendre === 1n;
}

type Key = { publicKey: Buffer; object: KeyObject };
type KeySpec = Record<string, unknown>;
/** A public key from its base64url text, refused unless strict (§4.3) and, if a kid is given, named by it (§4.4). */
function strictKey(text: unknown, kid: unknown, code: string, what: string): Key {
  const publicKey = base64url(text, 32, what);
  check(isStrictPublicKey(publicKey), code, `${what} is not a strict Ed25519 public key`);
  check(kid === undefined || kid === `ed25519:${sha256(publicKey).toString('hex').slice(0, 32)}`, code, `${what} is not named by its key id`);
  return { publicKey, object: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }) };
}

/** §4.3 rules 4–5: S < L checked here, then OpenSSL's cofactorless equation. Keys are strict already. */
function ed25519Verify(signature: Buffer, message: Buffer, key: Key): boolean {
  return BigInt(`0x${Buffer.from(signature.subarray(32)).reverse().toString('hex')}`) < L && verify(null, message, key.object, signature);
}

/** §6: a participant key, revoked from `revokedSeq` on (null while active). */
type DirectoryKey = Key & { participant: string; revokedSeq: number | null };
type Header = { height: number; prevHeaderHash: string | null; treeSize: number; rootHash: string; firstSeq: number; lastSeq: number; sealedAt: string };
type Block = { header: Header; headerHash: string; kid: string; sig: string };

class ExportVerifier {
  readonly report: ExportReport = { events: 0, eventSignatures: 0, blocks: 0, roots: 0, keyChanges: 0, unsealed: 0, latest: null };
  private readonly ledgerKeys = new Map<string, Key>();
  private readonly directory = new Map<string, DirectoryKey>();
  private readonly heads = new Map<string, string>();
  /** §5 frontier: perfect subtrees, largest first. */
  private frontier: Array<{ size: number; hash: Buffer }> = [];
  private previous: Block | null = null;
  private nextSeq = 1;
  private incremental = false;

  constructor(private readonly dir: string, private readonly options: VerifyOptions) {}

  async run(): Promise<void> {
    const manifest: unknown = JSON.parse(readFileSync(join(this.dir, 'manifest.json'), 'utf8'));
    check(isObject(manifest) && manifest.format === FORMAT, 'BAD_FORMAT', `manifest.json does not name format ${FORMAT}`);
    const start = manifest.start as { anchor: unknown; frontier: unknown; participantKeys: unknown } | null;
    for (const entry of [manifest.events, manifest.blocks, manifest.ledgerKeys, start?.participantKeys]) if (entry !== undefined) await this.checkDigest(entry);
    this.loadLedgerKeys();
    if (start) this.startFrom(start);
    check(manifest.fromHeight === (this.previous?.header.height ?? 0) + 1, 'MANIFEST_MISMATCH', 'fromHeight does not follow the anchor');

    const blockLines = this.lines('blocks.jsonl');
    const nextBlock = async (): Promise<Block | null> => {
      const next = await blockLines.next();
      return next.done ? null : this.parseBlock(next.value);
    };
    const firstSeq = this.nextSeq;
    let pending = await nextBlock();
    for await (const line of this.lines('events.jsonl')) {
      this.verifyEvent(line);
      // A block is checked as soon as the tree holds its last event (§8 step 4.11).
      for (; pending && pending.header.lastSeq <= this.nextSeq - 1; pending = await nextBlock()) this.verifyBlock(pending, true);
    }
    check(pending === null, 'BLOCK_WITHOUT_EVENTS', 'blocks.jsonl seals events that events.jsonl does not hold');
    this.report.unsealed = this.nextSeq - 1 - (this.previous?.header.lastSeq ?? 0);
    const p = this.previous;
    this.report.latest = p ? { height: p.header.height, headerHash: p.headerHash, rootHash: p.header.rootHash } : null;
    const events = manifest.events as Record<string, unknown>;
    const blocksEntry = manifest.blocks as Record<string, unknown>;
    const latest = manifest.latestBlock as Record<string, unknown> | null;
    check(
      events.count === this.report.events && blocksEntry.count === this.report.blocks && manifest.unsealedEvents === this.report.unsealed &&
        blocksEntry.firstHeight === (this.report.blocks > 0 ? manifest.fromHeight : null) && blocksEntry.lastHeight === (this.report.blocks > 0 ? p?.header.height : null) &&
        events.firstSeq === (this.report.events > 0 ? firstSeq : null) && events.lastSeq === (this.report.events > 0 ? this.nextSeq - 1 : null) &&
        (latest === null
          ? p === null
          : p !== null && hasExactly(latest, ['height', 'headerHash', 'treeSize', 'rootHash']) && latest.headerHash === p.headerHash &&
            latest.rootHash === p.header.rootHash && latest.height === p.header.height && latest.treeSize === p.header.treeSize),
      'MANIFEST_MISMATCH',
      'the manifest counts or newest block disagree with the files',
    );
  }

  /** §8 step 1: streamed, so a large events.jsonl is never held in memory. */
  private async checkDigest(entry: unknown): Promise<void> {
    check(isObject(entry) && typeof entry.file === 'string', 'MANIFEST_MISMATCH', 'a manifest file entry is malformed');
    const digest = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(join(this.dir, entry.file))) {
      digest.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    check(bytes === entry.bytes && digest.digest('hex') === entry.sha256, 'FILE_DIGEST', `${entry.file} does not match its manifest digest`);
  }

  private async *lines(file: string): AsyncGenerator<string> {
    yield* createInterface({ input: createReadStream(join(this.dir, file), 'utf8'), crlfDelay: Infinity });
  }

  private loadLedgerKeys(): void {
    const parsed: unknown = JSON.parse(readFileSync(join(this.dir, 'ledger-keys.json'), 'utf8'));
    check(isObject(parsed) && Array.isArray(parsed.keys), 'BAD_LEDGER_KEYS', 'ledger-keys.json has no keys array');
    for (const k of parsed.keys as Array<Record<string, unknown>>) {
      const key = strictKey(k.publicKey, k.kid, 'BAD_LEDGER_KEYS', `ledger key ${String(k.kid)}`);
      const trusted = this.options.trustedLedgerKeys;
      if (trusted) check(trusted.includes(k.publicKey as string), 'UNTRUSTED_LEDGER_KEY', `ledger key ${String(k.kid)} is not one of the trusted keys`);
      this.ledgerKeys.set(k.kid as string, key);
    }
  }

  /** §9: continue from the anchor block, its tree frontier and the key directory at that point. */
  private startFrom(start: { anchor: unknown; frontier: unknown; participantKeys: unknown }): void {
    this.incremental = true;
    const anchor = this.parseBlock(canonical(start.anchor));
    this.verifyBlock(anchor, false);
    check(Array.isArray(start.frontier), 'BAD_FRONTIER', 'start.frontier is not an array');
    const sizes: number[] = [];
    for (let bit = 2 ** 52; bit >= 1; bit /= 2) if (Math.floor(anchor.header.treeSize / bit) % 2 === 1) sizes.push(bit);
    check(start.frontier.length === sizes.length && start.frontier.every((h) => typeof h === 'string' && HEX64.test(h)), 'BAD_FRONTIER', 'the frontier does not fit the anchor tree size');
    this.frontier = (start.frontier as string[]).map((h, i) => ({ size: sizes[i], hash: Buffer.from(h, 'hex') }));
    check(this.root() === anchor.header.rootHash, 'BAD_FRONTIER', 'the frontier does not fold to the anchor root');
    const keys: unknown = JSON.parse(readFileSync(join(this.dir, 'participant-keys.json'), 'utf8'));
    check(isObject(keys) && keys.asOfSeq === anchor.header.lastSeq && Array.isArray(keys.keys), 'BAD_PARTICIPANT_KEYS', 'participant-keys.json is not as of the anchor');
    for (const k of keys.keys as Array<Record<string, unknown>>) {
      const asOf = anchor.header.lastSeq;
      const inRange = isInt(k.addedSeq, 1) && k.addedSeq <= asOf && (k.revokedSeq === null || (isInt(k.revokedSeq, k.addedSeq) && k.revokedSeq <= asOf));
      check(inRange && typeof k.participant === 'string', 'BAD_PARTICIPANT_KEYS', `participant key ${String(k.kid)} is not a key as of seq ${asOf}`);
      this.addKey(k.participant, { kid: k.kid, publicKey: k.publicKey });
      if (k.revokedSeq !== null) this.revokeKey(k.participant as string, k.kid, k.revokedSeq as number);
    }
    this.report.keyChanges = 0;
    this.nextSeq = anchor.header.lastSeq + 1;
  }

  private verifyEvent(line: string): void {
    const rec: unknown = JSON.parse(line);
    check(isObject(rec) && hasExactly(rec, ['body', 'hash', 'seq', 'sig']) && canonical(rec) === line, 'BAD_EVENT_LINE', `events.jsonl line ${this.report.events + 1} is not a canonical {body, hash, seq, sig}`);
    const seq = rec.seq;
    check(seq === this.nextSeq, 'SEQ_GAP', `expected seq ${this.nextSeq}, found ${String(seq)}`);
    check(typeof rec.body === 'string' && typeof rec.hash === 'string', 'BAD_EVENT_LINE', `event ${seq}: body and hash must be strings`);
    const hash = sha256(Buffer.from(rec.body, 'utf8'));
    check(hash.toString('hex') === rec.hash, 'EVENT_HASH_MISMATCH', `event ${seq}: SHA-256 of body is ${hash.toString('hex')}, the line says ${rec.hash}`);
    const event: unknown = JSON.parse(rec.body);
    check(isObject(event) && canonical(event) === rec.body, 'BODY_NOT_CANONICAL', `event ${seq}: body is not canonical JSON`);
    check(hasExactly(event, ['type', 'id', 'actor', 'kid', 'at', 'assets', 'data']), 'BAD_ENVELOPE', `event ${seq}: the envelope must have exactly type, id, actor, kid, at, assets, data`);
    // §3.1, member by member.
    check(
      boundedText(event.type, 1, 64) && TYPE.test(event.type) && typeof event.id === 'string' && EVENT_ID.test(event.id) &&
        boundedText(event.actor, 1, 128) && boundedText(event.kid, 1, 128) && realTime(event.at) && Array.isArray(event.assets) && event.assets.length <= MAX_ASSETS && isObject(event.data) && isInt(event.data.v, 1),
      'BAD_ENVELOPE',
      `event ${seq}: an envelope member breaks the rules of section 3.1`,
    );
    check(Buffer.byteLength(rec.body, 'utf8') <= MAX_BODY_BYTES, 'BAD_ENVELOPE', `event ${seq}: the body is over ${MAX_BODY_BYTES} bytes`);
    const sig = base64url(rec.sig, 64, `event ${seq} sig`);
    const key = this.signerOf(seq, event);
    check(ed25519Verify(sig, Buffer.concat([EVENT_CONTEXT, Buffer.from([0]), hash]), key), 'BAD_SIGNATURE', `event ${seq}: the signature does not verify under ${event.kid}`);
    this.report.eventSignatures++;
    this.followChains(seq, event.assets as unknown[], rec.hash);
    this.createImplicitChains(seq, event, rec.hash);
    this.applyKeyChanges(seq, event.type, event.data);
    this.appendLeaf(sha256(Buffer.from([0]), hash));
    this.report.events++;
    this.nextSeq++;
  }

  /** §6: the genesis is self-signed; every other event by an active key of its actor. */
  private signerOf(seq: number, event: Record<string, unknown>): Key {
    if (seq === 1 && !this.incremental) {
      const data = event.data as { participant?: { id?: unknown; role?: unknown }; keys?: Array<Record<string, unknown>> };
      check(event.type === 'participant.registered' && data.participant?.role === 'regulator' && data.participant.id === event.actor, 'BAD_GENESIS', 'event 1 is not a regulator registering itself');
      const own = (data.keys ?? []).find((k) => k.kid === event.kid);
      check(own, 'BAD_GENESIS', 'the genesis event is not signed by one of the keys it registers');
      return strictKey(own.publicKey, own.kid, 'BAD_GENESIS', 'the genesis key');
    }
    // §6.2: system events (actor `ledger`) are signed by a key listed in ledger-keys.json, any of them.
    if (event.actor === SYSTEM_ACTOR) {
      const ledgerKey = this.ledgerKeys.get(event.kid as string);
      check(ledgerKey, 'UNKNOWN_KEY', `event ${seq}: system event signed by ${String(event.kid)}, which is not in ledger-keys.json`);
      return ledgerKey;
    }
    const key = this.directory.get(event.kid as string);
    check(key, 'UNKNOWN_KEY', `event ${seq}: key ${String(event.kid)} was never registered`);
    check(key.participant === event.actor, 'KEY_OF_ANOTHER_PARTICIPANT', `event ${seq}: key ${String(event.kid)} belongs to ${key.participant}, not ${String(event.actor)}`);
    check(key.revokedSeq === null, 'KEY_REVOKED', `event ${seq}: key ${String(event.kid)} was revoked by event ${key.revokedSeq}`);
    return key;
  }

  /** §7: each asset's prev must be the hash of the last event on it (null for its first event). */
  private followChains(seq: number, assets: unknown[], hash: string): void {
    const listed = new Set<string>();
    for (const a of assets) {
      check(
        isObject(a) && hasExactly(a, ['id', 'prev']) && typeof a.id === 'string' && ASSET_ID.test(a.id) && !listed.has(a.id) &&
          (a.prev === null || (typeof a.prev === 'string' && HEX64.test(a.prev))),
        'BAD_ENVELOPE',
        `event ${seq}: an asset breaks the rules of section 3.1`,
      );
      listed.add(a.id);
      const head = this.heads.get(a.id);
      // In an increment an unseen item may have history before the anchor (§9): not checkable here.
      if (head !== undefined || !this.incremental) check(a.prev === (head ?? null), 'BROKEN_CHAIN', `event ${seq}: ${a.id} names prev ${String(a.prev)}, its head is ${head ?? 'null'}`);
      this.heads.set(a.id, hash);
    }
  }

  /** §7.1: `custody.commissioned` starts the chain of every pack `sgtin:<GTIN>.<serial>` of `data.serials`
   *  (GTIN from `data.batch` = `batch:<GTIN>/<lot>`) at this event, without listing them in `assets`. */
  private createImplicitChains(seq: number, event: Record<string, unknown>, hash: string): void {
    if (event.type !== COMMISSIONED) return;
    const data = event.data as { batch?: unknown; serials?: unknown };
    const batch = typeof data.batch === 'string' ? BATCH_ID.exec(data.batch) : null;
    check(batch && Array.isArray(data.serials) && data.serials.every((s) => typeof s === 'string'), 'BAD_ENVELOPE', `event ${seq}: a commissioning without data.batch and data.serials`);
    const listed = new Set((event.assets as Array<{ id: string }>).map((a) => a.id));
    const created = new Set<string>();
    for (const serial of data.serials as string[]) {
      const id = `sgtin:${batch[1]}.${serial}`;
      check(!created.has(id) && !listed.has(id), 'BROKEN_CHAIN', `event ${seq}: ${id} is created twice or also listed in assets`);
      // A new chain: the item must not have been seen before (in an increment, only within it, §9).
      check(!this.heads.has(id), 'BROKEN_CHAIN', `event ${seq}: commissions ${id}, which already has a chain`);
      created.add(id);
      this.heads.set(id, hash);
    }
  }

  /** §6 table: applied after the event's own signature was checked with the directory as it stood. */
  private applyKeyChanges(seq: number, type: unknown, data: Record<string, unknown>): void {
    const participant = data.participant as string;
    if (type === 'participant.registered') for (const k of data.keys as KeySpec[]) this.addKey((data.participant as { id: string }).id, k);
    if (type === 'participant.key_added' || type === 'participant.key_rotated') this.addKey(participant, data.key as KeySpec);
    if (type === 'participant.key_revoked') this.revokeKey(participant, data.kid, seq);
    if (type === 'participant.key_rotated') this.revokeKey(participant, data.revoke, seq);
  }

  private addKey(participant: string, k: KeySpec): void {
    const key = strictKey(k.publicKey, k.kid, 'BAD_KEY_EVENT', `key ${String(k.kid)}`);
    check(!this.directory.has(k.kid as string), 'BAD_KEY_EVENT', `key ${String(k.kid)} was already added`);
    this.directory.set(k.kid as string, { ...key, participant, revokedSeq: null });
    this.report.keyChanges++;
  }

  private revokeKey(participant: string, kid: unknown, seq: number): void {
    const key = this.directory.get(kid as string);
    check(key && key.participant === participant && key.revokedSeq === null, 'BAD_KEY_EVENT', `key ${String(kid)} is not an active key of ${participant}`);
    key.revokedSeq = seq;
    this.report.keyChanges++;
  }

  private appendLeaf(leaf: Buffer): void {
    this.frontier.push({ size: 1, hash: leaf });
    for (let n = this.frontier.length; n >= 2 && this.frontier[n - 2].size === this.frontier[n - 1].size; n--) {
      const right = this.frontier.pop() as { size: number; hash: Buffer };
      const left = this.frontier.pop() as { size: number; hash: Buffer };
      this.frontier.push({ size: left.size * 2, hash: sha256(Buffer.from([1]), left.hash, right.hash) });
    }
  }

  private root(): string {
    let root = this.frontier[this.frontier.length - 1].hash;
    for (let i = this.frontier.length - 2; i >= 0; i--) root = sha256(Buffer.from([1]), this.frontier[i].hash, root);
    return root.toString('hex');
  }

  private parseBlock(line: string): Block {
    const b: unknown = JSON.parse(line);
    check(isObject(b) && hasExactly(b, ['header', 'headerHash', 'kid', 'sig']) && canonical(b) === line && isObject(b.header), 'BAD_BLOCK_LINE', 'a block line is not a canonical {header, headerHash, kid, sig}');
    const h = b.header;
    check(
      hasExactly(h, ['height', 'prevHeaderHash', 'treeSize', 'rootHash', 'firstSeq', 'lastSeq', 'sealedAt']) && isInt(h.height, 1) && isInt(h.firstSeq, 1) &&
        isInt(h.lastSeq, h.firstSeq as number) && isInt(h.treeSize, 1) && typeof h.rootHash === 'string' && HEX64.test(h.rootHash) &&
        (h.prevHeaderHash === null || (typeof h.prevHeaderHash === 'string' && HEX64.test(h.prevHeaderHash))) && realTime(h.sealedAt) && SEALED_AT.test(h.sealedAt),
      'BAD_HEADER',
      `block header ${String(h.height)} is malformed`,
    );
    return b as unknown as Block;
  }

  /** §5: hash and signature; then, except for an anchor (§9), the link and the root of the tree built so far. */
  private verifyBlock(b: Block, linkAndRoot: boolean): void {
    const h = b.header;
    const hash = sha256(Buffer.from(canonical(h), 'utf8'));
    check(hash.toString('hex') === b.headerHash, 'HEADER_HASH_MISMATCH', `block ${h.height}: header hashes to ${hash.toString('hex')}, the line says ${b.headerHash}`);
    const key = this.ledgerKeys.get(b.kid);
    check(key, 'UNKNOWN_LEDGER_KEY', `block ${h.height}: ${b.kid} is not in ledger-keys.json`);
    const sig = base64url(b.sig, 64, `block ${h.height} sig`);
    check(ed25519Verify(sig, Buffer.concat([BLOCK_CONTEXT, Buffer.from([0]), hash]), key), 'BAD_BLOCK_SIGNATURE', `block ${h.height}: the signature does not verify`);
    check(h.treeSize === h.lastSeq, 'BAD_LINK', `block ${h.height}: treeSize ${h.treeSize} is not lastSeq ${h.lastSeq}`);
    if (linkAndRoot) {
      const p = this.previous;
      const linked = p === null
        ? h.height === 1 && h.prevHeaderHash === null && h.firstSeq === 1
        : h.height === p.header.height + 1 && h.prevHeaderHash === p.headerHash && h.firstSeq === p.header.lastSeq + 1;
      check(linked, 'BAD_LINK', `block ${h.height} does not follow block ${p?.header.height ?? 'none'}`);
      check(this.root() === h.rootHash, 'ROOT_MISMATCH', `block ${h.height}: the leaves of events 1..${h.lastSeq} give root ${this.root()}, the header says ${h.rootHash}`);
      this.report.blocks++;
      this.report.roots++;
    }
    this.previous = b;
  }
}

/** Verifies an export folder; names the first thing that does not match. */
export async function verifyExport(dir: string, options: VerifyOptions = {}): Promise<ExportVerdict> {
  const verifier = new ExportVerifier(dir, options);
  try {
    await verifier.run();
    return { ok: true, report: verifier.report };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, code: e.code, message: e.message, report: verifier.report };
    return { ok: false, code: 'UNREADABLE', message: e instanceof Error ? e.message : String(e), report: verifier.report };
  }
}
