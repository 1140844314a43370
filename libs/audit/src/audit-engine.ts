// The replay engine: reads the whole ledger from a source in sequence order, page by page, and checks it
// the way it was built — events, then the tree and blocks that seal them, then the derived state — and
// stops at the first thing that does not match. Framework-free: sources and projections are plugged in.
import { nobleVerifier, type SignatureVerifier } from '@pharmatrace/ledger-core';
import { SYSTEM_ACTOR } from '@pharmatrace/ledger/participant-roles';
import { AuditFailure, AuditReport, eventFailure } from './audit-failure';
import { AssetChains } from './asset-chains';
import type { AuditSource, SignerResolver, SourceEvent, StateProjection } from './audit-source';
import { LedgerKeyring } from './block-checks';
import { replayEvent } from './event-checks';
import { SealedReplay } from './sealed-replay';
import { AssetHeadsProjection } from './projections/asset-heads-projection';
import { ParticipantsProjection } from './projections/participants-projection';
import { PrescriptionsProjection } from './projections/prescriptions-projection';
import { PackStatesProjection } from './projections/pack-states-projection';
import { RecallsProjection } from './projections/recalls-projection';

export interface AuditProgress {
  events: number;
  /** Events the source says it holds, when it knows. */
  total: number | null;
  blocks: number;
  elapsedMs: number;
}

export interface AuditOptions {
  /** base64url ledger public key: blocks must be signed by it, whatever keys the source publishes. */
  ledgerKey?: string;
  /** Ed25519 verifier; the CLI passes node:crypto's, the default runs anywhere. */
  verifier?: SignatureVerifier;
  pageSize?: number;
  /** Called after every page of events. */
  onProgress?: (p: AuditProgress) => void;
  /** Projections of later domains, applied after the built-in ones (participants, asset heads, prescriptions, pack states, recalls). */
  extraProjections?: (chains: AssetChains) => StateProjection[];
}

// A live source keeps growing; after this many catch-up rounds the audit judges what it has.
const MAX_ROUNDS = 10;

export async function runAudit(source: AuditSource, options: AuditOptions = {}): Promise<AuditReport> {
  const keys = options.ledgerKey ? LedgerKeyring.pinned(options.ledgerKey) : LedgerKeyring.published(await source.ledgerKeys());
  return new AuditRun(source, keys, options).execute();
}

/**
 * System events (actor "ledger", e.g. an automatic quarantine) are signed by a ledger signing key, the
 * same keys (or the pinned key) blocks are checked with; every other event by a participant's key.
 */
function withSystemSigners(keys: LedgerKeyring, participants: SignerResolver): SignerResolver {
  return {
    signerOf(e) {
      if (e.event.actor !== SYSTEM_ACTOR) return participants.signerOf(e);
      const key = keys.key(e.event.kid);
      if (key.ok) return { ok: true, publicKey: key.key };
      return { ok: false, failure: eventFailure('SIGNER_UNKNOWN', e.seq, e.hash, `a system event must be signed by a ledger key, but ${key.why}`) };
    },
  };
}

class AuditRun {
  private readonly started = Date.now();
  private readonly chains = new AssetChains();
  private readonly verifier: SignatureVerifier;
  private readonly signers: SignerResolver;
  private readonly projections: StateProjection[];
  private readonly sealed: SealedReplay;
  private lastSeq = 0;
  private lastHash: string | undefined;
  private total: number | null = null;

  constructor(
    private readonly source: AuditSource,
    keys: LedgerKeyring,
    private readonly options: AuditOptions,
  ) {
    this.verifier = options.verifier ?? nobleVerifier;
    const participants = new ParticipantsProjection(source.participantState);
    this.signers = withSystemSigners(keys, participants);
    this.projections = [
      participants,
      new AssetHeadsProjection(this.chains, source.assetHeadState),
      new PrescriptionsProjection(source.prescriptionState),
      new PackStatesProjection(source.packState),
      new RecallsProjection(source.recallState),
      ...(options.extraProjections?.(this.chains) ?? []),
    ];
    this.sealed = new SealedReplay(source, keys, this.verifier);
  }

  async execute(): Promise<AuditReport> {
    // A counter read before the events: a snapshot's counter must equal the number of events it holds.
    this.total = this.source.appendedCount ? await this.source.appendedCount() : null;
    let failure: AuditFailure | null = null;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      failure = (await this.replayAvailable()) ?? this.checkCounter();
      if (failure) return this.report(failure);
      const end = await this.sealed.finish(this.lastSeq);
      if (end.behind) continue;
      if (end.failure) return this.report(end.failure);
      failure = await this.compareState();
      // Stored state read from a live server may be newer than the events read: catch up, then judge.
      if (failure && this.source.live && (await this.source.events(this.lastSeq, 1)).length > 0) continue;
      return this.report(failure);
    }
    return this.report(failure);
  }

  private async replayAvailable(): Promise<AuditFailure | null> {
    const pageSize = this.options.pageSize ?? this.source.pageSize;
    for (;;) {
      const page = await this.source.events(this.lastSeq, pageSize);
      if (page.length === 0) return null;
      await this.sealed.fetchBlocksThrough(page[page.length - 1].seq);
      await this.sealed.prefetchNodes(page.map((e) => e.seq));
      for (const e of page) {
        const failure = this.replayOne(e);
        if (failure) return failure;
      }
      this.options.onProgress?.({ events: this.lastSeq, total: this.total, blocks: this.sealed.blocksChecked, elapsedMs: Date.now() - this.started });
    }
  }

  private replayOne(e: SourceEvent): AuditFailure | null {
    const expected = this.lastSeq + 1;
    if (e.seq > expected) {
      const range = e.seq - 1 > expected ? `events #${expected}–#${e.seq - 1} are` : `event #${expected} is`;
      return { code: 'EVENT_MISSING', where: `event #${expected}`, why: `${range} missing: the log goes from #${this.lastSeq} to #${e.seq}.`, seq: expected };
    }
    if (e.seq < expected) {
      return { code: 'EVENT_OUT_OF_ORDER', where: `event #${e.seq} (hash ${e.hash})`, why: `it comes after event #${this.lastSeq}.`, seq: e.seq };
    }
    const failure = replayEvent(e, { verifier: this.verifier, signers: this.signers, chains: this.chains, projections: this.projections });
    if (failure) return failure;
    const sealedFailure = this.sealed.add(e.seq, e.hash);
    if (sealedFailure) return sealedFailure;
    this.lastSeq = e.seq;
    this.lastHash = e.hash;
    return null;
  }

  private checkCounter(): AuditFailure | null {
    if (this.total === null || this.source.live || this.total === this.lastSeq) return null;
    if (this.total > this.lastSeq) {
      const seq = this.lastSeq + 1;
      return { code: 'EVENT_MISSING', where: `event #${seq}`, why: `the log counter says ${this.total} events were appended, but the log ends at #${this.lastSeq}.`, seq };
    }
    const after = this.lastHash ? ` (hash ${this.lastHash})` : '';
    return { code: 'LOG_COUNTER_MISMATCH', where: `event #${this.lastSeq}${after}`, why: `the log holds ${this.lastSeq} events, but its counter says only ${this.total} were appended.` };
  }

  private async compareState(): Promise<AuditFailure | null> {
    for (const projection of this.projections) {
      const failure = await projection.compare();
      if (failure) return failure;
    }
    return null;
  }

  private report(failure: AuditFailure | null): AuditReport {
    const counts = { blocks: this.sealed.blocksChecked, unsealed: this.sealed.unsealed, elapsedMs: Date.now() - this.started };
    if (failure) return { ok: false, failure, events: failure.seq !== undefined ? Math.min(this.lastSeq, failure.seq - 1) : this.lastSeq, ...counts };
    return { ok: true, head: this.sealed.head, events: this.lastSeq, ...counts };
  }
}
