// Scenario tests of the replay engine on an in-memory ledger: the rules of who may sign when, blocks the
// log cannot account for, a live source that grows while it is read, and the tree arithmetic.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BlockHeader,
  blockHeaderHash,
  canonicalJson,
  CompactMerkleTree,
  EventData,
  EventEnvelope,
  eventHash,
  fromHex,
  generateKeyPair,
  keyIdOf,
  KeyPair,
  leafHash,
  signBlockHeader,
  signEvent,
  toBase64Url,
  toHex,
} from '@pharmatrace/ledger-core';
import { ParticipantEventTypes, participantAssetId } from '@pharmatrace/participants/participant-events';
import type { AuditReport } from './audit-failure';
import type { SourceBlock, SourceEvent } from './audit-source';
import { runAudit } from './audit-engine';
import { MemoryAuditSource } from './memory-audit-source';
import { nodesCompletedBy } from './sealed-replay';

const ledgerKey = generateKeyPair();
const ledgerKeys = [{ kid: keyIdOf(ledgerKey.publicKey), publicKey: toBase64Url(ledgerKey.publicKey) }];

interface Party {
  id: string;
  key: KeyPair;
}

const party = (id: string): Party => ({ id, key: generateKeyPair() });
const spec = (p: Party) => ({ kid: keyIdOf(p.key.publicKey), publicKey: toBase64Url(p.key.publicKey), label: `${p.id} key`, kind: 'operator' });

/** Builds a signed, sealed ledger the way the server does, one event at a time. */
class LedgerBuilder {
  readonly events: SourceEvent[] = [];
  readonly blocks: SourceBlock[] = [];
  private readonly tree = CompactMerkleTree.empty();
  private readonly heads = new Map<string, string>();

  add(signer: Party, type: string, about: string, data: EventData): this {
    return this.addOn(signer, type, participantAssetId(about), data);
  }

  addOn(signer: Party, type: string, asset: string, data: EventData): this {
    const event: EventEnvelope = {
      type,
      id: `e-${this.events.length + 1}`,
      actor: signer.id,
      kid: keyIdOf(signer.key.publicKey),
      at: '2025-06-01T10:00:00.000Z',
      assets: [{ id: asset, prev: this.heads.get(asset) ?? null }],
      data,
    };
    const signed = signEvent(event, signer.key.secretKey);
    const hash = eventHash(event);
    this.heads.set(asset, hash);
    this.events.push({ seq: this.events.length + 1, hash, sig: signed.sig, body: canonicalJson(event) });
    return this;
  }

  register(regulator: Party, p: Party, role = 'manufacturer'): this {
    const participant = { id: p.id, legalName: `${p.id} Ltd`, role, gln: '4000001000005', licence: { number: 'L-1', expiresOn: '2031-12-31' } };
    return this.add(regulator, ParticipantEventTypes.registered, p.id, { v: 1, participant, keys: [spec(p)] });
  }

  seal(): this {
    const prev = this.blocks[this.blocks.length - 1];
    const firstSeq = (prev?.header.lastSeq ?? 0) + 1;
    for (const e of this.events.slice(firstSeq - 1)) this.tree.append(leafHash(fromHex(e.hash)));
    const header: BlockHeader = {
      height: (prev?.header.height ?? 0) + 1,
      prevHeaderHash: prev ? blockHeaderHash(prev.header) : null,
      treeSize: this.tree.size,
      rootHash: toHex(this.tree.root()),
      firstSeq,
      lastSeq: this.events.length,
      sealedAt: '2025-06-01T10:00:01.000Z',
    };
    this.blocks.push({ ...signBlockHeader(header, ledgerKey.secretKey), headerHash: blockHeaderHash(header) });
    return this;
  }

  source(live = false): MemoryAuditSource {
    return new MemoryAuditSource(this.events, this.blocks, ledgerKeys, live);
  }
}

const regulator = party('agency');
const maker = party('maker');
const base = () =>
  new LedgerBuilder()
    .add(regulator, ParticipantEventTypes.registered, regulator.id, {
      v: 1,
      participant: { id: regulator.id, legalName: 'Agency', role: 'regulator', gln: '4000001000012', licence: { number: 'R-1', expiresOn: '2031-12-31' } },
      keys: [spec(regulator)],
    })
    .register(regulator, maker);

function failed(report: AuditReport): { code: string; seq?: number; height?: number } {
  assert.equal(report.ok, false, 'the audit should fail');
  return report.ok ? { code: 'OK' } : report.failure;
}

describe('audit engine', () => {
  it('accepts a clean ledger and reports its head and unsealed tail', async () => {
    const l = base().seal().add(regulator, ParticipantEventTypes.suspended, maker.id, { v: 1, participant: maker.id, reason: 'audit' });
    const report = await runAudit(l.source());
    assert.ok(report.ok);
    assert.deepEqual([report.events, report.blocks, report.unsealed, report.head?.height], [3, 1, 1, 1]);
  });

  it('refuses an event from a suspended participant, though its signature is valid', async () => {
    const l = base().add(regulator, ParticipantEventTypes.suspended, maker.id, { v: 1, participant: maker.id, reason: 'audit' });
    l.add(maker, ParticipantEventTypes.keyAdded, maker.id, { v: 1, participant: maker.id, key: spec(party('maker')) });
    const f = failed(await runAudit(l.source()));
    assert.deepEqual([f.code, f.seq], ['SIGNER_SUSPENDED', 4]);
  });

  it('refuses an event the participant rules forbid: a manufacturer suspending someone', async () => {
    const l = base().add(maker, ParticipantEventTypes.suspended, regulator.id, { v: 1, participant: regulator.id, reason: 'coup' });
    const f = failed(await runAudit(l.source()));
    assert.equal(f.code, 'EVENT_NOT_APPLICABLE');
    assert.equal(f.seq, 3);
  });

  it('refuses a key that signs before it is added, and a genesis that is not a regulator', async () => {
    const stranger = party('stranger');
    const l = base().add(stranger, ParticipantEventTypes.keyAdded, maker.id, { v: 1, participant: maker.id, key: spec(stranger) });
    assert.equal(failed(await runAudit(l.source())).code, 'SIGNER_UNKNOWN');
    const impostor = party('impostor');
    const self = new LedgerBuilder().register(impostor, impostor, 'manufacturer');
    assert.equal(failed(await runAudit(self.source())).code, 'EVENT_NOT_APPLICABLE');
  });

  it('names a block that seals events the log does not have', async () => {
    const l = base().seal();
    const source = new MemoryAuditSource(l.events.slice(0, 1), l.blocks, ledgerKeys);
    const f = failed(await runAudit(source));
    assert.deepEqual([f.code, f.height], ['BLOCK_BEYOND_LOG', 1]);
  });

  it('catches up with a live source that seals events appended after it was read', async () => {
    const l = base();
    const source = l.source(true);
    let grown = false;
    const report = await runAudit(source, {
      onProgress: () => {
        if (grown) return;
        grown = true; // while the audit runs, the server appends and seals
        l.add(regulator, ParticipantEventTypes.licenceRenewed, maker.id, { v: 1, participant: maker.id, licence: { number: 'L-2', expiresOn: '2032-12-31' } }).seal();
      },
    });
    assert.ok(report.ok, report.ok ? '' : `${report.failure.code}: ${report.failure.why}`);
    assert.deepEqual([report.events, report.blocks, report.unsealed], [3, 1, 0]);
  });

  it('refuses a header signed by a pinned key other than the ledger key', async () => {
    const other = toBase64Url(generateKeyPair().publicKey);
    const f = failed(await runAudit(base().seal().source(), { ledgerKey: other }));
    assert.deepEqual([f.code, f.height], ['BLOCK_KEY_UNKNOWN', 1]);
  });

  it('verifies system events (actor "ledger") with the ledger signing keys, and refuses any other signer', async () => {
    const system: Party = { id: 'ledger', key: ledgerKey };
    const quarantine = { v: 1, items: ['sgtin:09506000134352.A1'], reason: 'too warm' };
    const ok = await runAudit(base().addOn(system, 'coldchain.quarantined', 'sgtin:09506000134352.A1', quarantine).seal().source());
    assert.ok(ok.ok, ok.ok ? '' : `${ok.failure.code}: ${ok.failure.why}`);

    // A key that is not a ledger key, or a participant's own key, cannot sign as the ledger.
    for (const forger of [{ id: 'ledger', key: generateKeyPair() }, { id: 'ledger', key: maker.key }]) {
      const f = failed(await runAudit(base().addOn(forger, 'coldchain.quarantined', 'sgtin:09506000134352.A1', quarantine).source()));
      assert.deepEqual([f.code, f.seq], ['SIGNER_UNKNOWN', 3]);
    }
    // Pinned: only the pinned ledger key may sign system events.
    const other = toBase64Url(generateKeyPair().publicKey);
    const pinned = failed(await runAudit(base().addOn(system, 'coldchain.quarantined', 'sgtin:09506000134352.A1', quarantine).source(), { ledgerKey: other }));
    assert.deepEqual([pinned.code, pinned.seq], ['SIGNER_UNKNOWN', 3]);
  });

  it('knows which stored nodes each appended leaf completes', () => {
    const tree = CompactMerkleTree.empty();
    for (let i = 0; i < 70; i++) {
      const completed = tree.append(leafHash(fromHex(eventHash({ type: 'a.b', id: `x${i}`, actor: 'a', kid: 'k', at: '2025-01-01T00:00:00Z', assets: [], data: { v: 1 } }))));
      assert.deepEqual(nodesCompletedBy(i), completed.map(({ level, index }) => ({ level, index })));
    }
  });
});
