// One transaction of the signed-event pipeline, holding the log lock: checks and applies events in
// order. Within it, chain heads and signers already read are kept in memory (every writer is
// serialised by the lock, so they cannot change underneath), which makes large batches cheap.
import { EntityManager } from 'typeorm';
import { EventEnvelope, eventSigningMessage, fromBase64Url } from '@pharmatrace/ledger-core';
import { SYSTEM_ACTOR } from './participant-roles';
import { SignatureVerifier } from '@pharmatrace/ledger-core';
import { DomainError } from '@pharmatrace/errors';
import { EventLogStore, StoredReceipt } from './event-log.store';
import { EventRule, Signer, SignerLookup } from './event-rule';
import { EventRuleRegistry } from './event-rule-registry';

export interface PreparedEvent {
  index: number;
  event: EventEnvelope;
  sig: Uint8Array;
  sigText: string;
  hash: string;
  body: string;
}

export interface EventReceipt extends StoredReceipt {
  index: number;
  /** True when this exact signed event was already in the log: nothing new was stored. */
  duplicate: boolean;
}

export interface AppendContext {
  /** The signed-in participant; absent only for the operator's CLI genesis. */
  callerId?: string;
  now: Date;
  clockSkewSeconds: number;
}

/** The sentence for an id a creating event finds taken: the rule's own when it has one. */
function alreadyRegistered(rule: EventRule, assetId: string): string {
  return rule.alreadyRegistered?.(assetId) ?? `${assetId} is already registered; ids can be used once only, so choose another.`;
}

export class AppendTransaction {
  private readonly heads = new Map<string, string | null>();
  private readonly signers = new Map<string, SignerLookup>();

  constructor(
    private readonly m: EntityManager,
    private readonly store: EventLogStore,
    private readonly rules: EventRuleRegistry,
    private readonly verifier: SignatureVerifier,
    private readonly ctx: AppendContext,
    private lastSeq: number,
  ) {}

  /** The log's last sequence number with this transaction's appends. */
  get seq(): number {
    return this.lastSeq;
  }

  async apply(p: PreparedEvent, reusedBy: string | undefined): Promise<EventReceipt> {
    const { event } = p;
    const { now } = this.ctx;
    const rule = this.rules.rule(event.type);
    if (!rule) {
      throw new DomainError('UNKNOWN_EVENT_TYPE', `Event type ${event.type} is not supported; known types: ${this.rules.types().join(', ')}.`);
    }
    // Genesis carries its own key in its data, so it is parsed first; otherwise the signer and role are
    // checked before the data, so that nobody learns a type's validation rules without being allowed it.
    const genesis = this.ctx.callerId === undefined && rule.genesisSigner ? rule.parse(event) : null;
    const signer = await this.resolveSigner(rule, genesis ?? event);
    if (!this.verifier.verify(p.sig, eventSigningMessage(p.hash), signer.publicKey)) {
      throw new DomainError('BAD_SIGNATURE', `The signature does not match event ${event.id} and key ${event.kid}.`);
    }
    if (reusedBy) {
      throw new DomainError('EVENT_ID_REUSED', `Event id ${event.id} was already used by ${event.actor} for event ${reusedBy}; a replay with changed content is refused.`);
    }
    if (!rule.roles.includes(signer.role)) {
      throw new DomainError('FORBIDDEN_ROLE', `A ${signer.role} may not sign ${event.type}; allowed: ${rule.roles.join(', ')}.`);
    }
    if (signer.licenceExpiresOn < now.toISOString().slice(0, 10)) {
      throw new DomainError('LICENCE_EXPIRED', `The licence of ${signer.participantId} expired on ${signer.licenceExpiresOn}; a regulator must renew it first.`);
    }
    const skewMs = Math.abs(Date.parse(event.at) - now.getTime());
    if (skewMs > this.ctx.clockSkewSeconds * 1000) {
      throw new DomainError(
        'CLOCK_SKEW',
        `Event time ${event.at} is ${Math.round(skewMs / 1000)} s from server time ${now.toISOString()}; the limit is ${this.ctx.clockSkewSeconds} s. Check the terminal's clock and sign again.`,
      );
    }
    const typed = genesis ?? rule.parse(event);
    await this.checkPrevs(event, rule, rule.createdAssets?.(typed) ?? [], signer);
    const created = rule.implicitAssets?.(typed) ?? [];
    if (created.length > 0) await this.checkNew(created, event, rule);

    const seq = this.lastSeq + 1;
    const result = await rule.apply({ manager: this.m, event: typed, hash: p.hash, seq, signer, now });
    await this.store.append(this.m, {
      seq,
      hash: p.hash,
      eventId: event.id,
      type: event.type,
      actor: event.actor,
      kid: event.kid,
      at: event.at,
      body: p.body,
      sig: p.sigText,
      result,
      assets: event.assets,
    });
    if (created.length > 0) await this.store.createHeads(this.m, created, p.hash, seq);
    // Only now, with the event fully applied, does the in-memory view move on.
    this.lastSeq = seq;
    for (const a of event.assets) this.heads.set(a.id, p.hash);
    for (const id of created) this.heads.set(id, p.hash);
    if (rule.changesSigners) this.signers.clear();
    return { index: p.index, seq, hash: p.hash, eventId: event.id, type: event.type, result, duplicate: false };
  }

  private async checkNew(created: string[], event: EventEnvelope, rule: EventRule): Promise<void> {
    if (new Set(created).size !== created.length) throw new DomainError('INVALID_EVENT_DATA', 'The event names the same new item twice.');
    const listed = new Set(event.assets.map((a) => a.id));
    const known = [...created.filter((id) => this.heads.get(id))];
    const unknown = created.filter((id) => !this.heads.has(id));
    if (unknown.length > 0) {
      const found = await this.store.heads(this.m, unknown);
      known.push(...found.keys());
    }
    if (known[0]) throw new DomainError('ALREADY_REGISTERED', alreadyRegistered(rule, known[0]), { asset: known[0] });
    const listedToo = created.find((id) => listed.has(id));
    if (listedToo) throw new DomainError('INVALID_EVENT_DATA', `The event creates ${listedToo}, so it must not also list it among its assets.`, { asset: listedToo });
  }

  private async checkPrevs(event: EventEnvelope, rule: EventRule, creates: readonly string[], signer: Signer): Promise<void> {
    const unknown = event.assets.map((a) => a.id).filter((id) => !this.heads.has(id));
    if (unknown.length > 0) {
      const found = await this.store.heads(this.m, unknown);
      for (const id of unknown) this.heads.set(id, found.get(id) ?? null);
    }
    // An id the event creates that already exists is taken, whatever prev the event cites: that is the answer
    // to give (a reload and re-sign, as STALE_PREV suggests, could never succeed).
    const taken = creates.find((id) => (this.heads.get(id) ?? null) !== null);
    if (taken) throw new DomainError('ALREADY_REGISTERED', alreadyRegistered(rule, taken), { asset: taken });
    for (const asset of event.assets) {
      const head = this.heads.get(asset.id) ?? null;
      if (head !== asset.prev) {
        const hidden = head === null ? null : await this.rules.assetVisibility()?.hiddenAsset(this.m, signer, asset.id);
        if (hidden) throw hidden;
        throw new DomainError(
          'STALE_PREV',
          head === null
            ? `Asset ${asset.id} does not exist yet, so its prev must be null.`
            : `Asset ${asset.id} has moved on: its head is ${head}, the event cites ${asset.prev ?? 'null'}. Reload the item and sign again.`,
          { asset: asset.id, head, prev: asset.prev },
        );
      }
    }
  }

  /** System events are signed by the ledger's own key, published in ledger_signing_keys. */
  private async systemSigner(kid: string): Promise<Signer> {
    const rows: Array<{ public_key: string }> = await this.m.query('SELECT public_key FROM ledger_signing_keys WHERE kid = $1', [kid]);
    if (!rows[0]) throw new DomainError('UNKNOWN_KEY', `Key ${kid} is not a ledger signing key.`);
    return {
      participantId: SYSTEM_ACTOR,
      role: 'system',
      status: 'active',
      kid,
      keyStatus: 'active',
      publicKey: fromBase64Url(rows[0].public_key),
      licenceExpiresOn: '9999-12-31',
    };
  }

  private async resolveSigner(rule: EventRule, event: EventEnvelope): Promise<Signer> {
    const { callerId } = this.ctx;
    if (callerId === undefined && rule.genesisSigner) {
      const genesis = await rule.genesisSigner(this.m, event);
      if (genesis) return genesis;
    }
    if (callerId === undefined && event.actor === SYSTEM_ACTOR) return this.systemSigner(event.kid);
    if (callerId !== undefined && callerId !== event.actor) {
      throw new DomainError('ACTOR_MISMATCH', `You are signed in as ${callerId} but the event's actor is ${event.actor}.`);
    }
    const key = `${event.actor}\u0000${event.kid}`;
    let lookup = this.signers.get(key);
    if (!lookup) {
      lookup = await this.rules.signers().findSigner(this.m, event.actor, event.kid);
      this.signers.set(key, lookup);
    }
    if (!lookup.found) {
      throw lookup.reason === 'UNKNOWN_ACTOR'
        ? new DomainError('UNKNOWN_ACTOR', `Participant ${event.actor} is not registered.`)
        : new DomainError('UNKNOWN_KEY', `Key ${event.kid} is not registered to participant ${event.actor}.`);
    }
    const { signer } = lookup;
    if (signer.keyStatus === 'revoked') throw new DomainError('KEY_REVOKED', `Key ${event.kid} was revoked and can no longer sign.`);
    if (signer.status === 'suspended') throw new DomainError('ACTOR_SUSPENDED', `Participant ${event.actor} is suspended and can do nothing until reinstated.`);
    return signer;
  }
}
