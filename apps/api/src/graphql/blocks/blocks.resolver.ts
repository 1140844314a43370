import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { LedgerProofs } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { AccessPolicy } from '@pharmatrace/access';
import { Caller } from '@pharmatrace/auth';
import { Public } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { BlockModel, ConsistencyProofModel, LedgerSigningKeyModel, ProvenEventModel, toBlockModel } from './block.types';

const HASH = /^[0-9a-f]{64}$/;

/**
 * Block headers, consistency proofs and the ledger's keys are public, like a transparency log's signed
 * tree heads: anyone may check that history only grows. An event with its proof needs a sign-in.
 */
@Resolver()
export class BlocksResolver {
  constructor(
    private readonly proofs: LedgerProofs,
    private readonly access: AccessPolicy,
  ) {}

  @Public()
  @Query(() => BlockModel, { nullable: true, description: 'The newest sealed block.' })
  async latestBlock(): Promise<BlockModel | null> {
    const b = await this.proofs.latestBlock();
    return b ? toBlockModel(b) : null;
  }

  @Public()
  @Query(() => BlockModel, { nullable: true })
  async block(@Args('height', { type: () => Int }) height: number): Promise<BlockModel | null> {
    const b = await this.proofs.block(height);
    return b ? toBlockModel(b) : null;
  }

  @Public()
  @Query(() => [BlockModel], { description: 'Blocks in ascending height after `afterHeight`.' })
  async blocks(
    @Args('afterHeight', { type: () => Int, defaultValue: 0 }) afterHeight: number,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
  ): Promise<BlockModel[]> {
    if (first < 1 || first > 500 || afterHeight < 0) throw new DomainError('BAD_REQUEST', 'first must be 1–500 and afterHeight ≥ 0.');
    return (await this.proofs.blockPage(afterHeight, first)).map(toBlockModel);
  }

  @Public()
  @Query(() => ConsistencyProofModel, { description: 'Proof that the tree of block toHeight extends the tree of block fromHeight.' })
  consistencyProof(
    @Args('fromHeight', { type: () => Int }) fromHeight: number,
    @Args('toHeight', { type: () => Int }) toHeight: number,
  ): Promise<ConsistencyProofModel> {
    return this.proofs.consistency(fromHeight, toHeight);
  }

  @Public()
  @Query(() => [LedgerSigningKeyModel], { description: 'The ledger’s public keys that sign block headers.' })
  ledgerKeys(): Promise<LedgerSigningKeyModel[]> {
    return this.proofs.signingKeys();
  }

  @Query(() => ProvenEventModel, { nullable: true, description: 'An event with the block that sealed it and its inclusion proof (in that block, or in block atHeight).' })
  async provenEvent(
    @Args('hash') hash: string,
    @CurrentCaller() caller: Caller,
    @Args('atHeight', { type: () => Int, nullable: true }) atHeight?: number,
  ): Promise<ProvenEventModel | null> {
    if (!HASH.test(hash)) throw new DomainError('BAD_REQUEST', 'hash must be 64 lowercase hex characters.');
    const p = await this.proofs.provenEvent(hash, atHeight ?? undefined, (seq) => this.access.canSeeEvent(caller, seq));
    return p ? { ...p, block: p.block ? toBlockModel(p.block) : null } : null;
  }
}
