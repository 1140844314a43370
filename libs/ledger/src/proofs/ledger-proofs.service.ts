// Read side of blocks and proofs: headers, an event's inclusion proof, consistency between two blocks,
// and the ledger's published keys. Every proof is a handful of stored nodes, never a recomputation.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { consistencyProofPlan, inclusionProofPlan, nodesOfPlan, resolveProofPlan, toHex } from '@pharmatrace/ledger-core';
import { DomainError } from '@pharmatrace/errors';
import { BlockStore, StoredBlock } from '../sealing/block.store';
import { MerkleNodeStore } from '../sealing/merkle-node.store';
import { LedgerReader, LoggedEvent } from '../ledger-reader.service';

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  /** hex, bottom up (RFC 6962 audit path) */
  hashes: string[];
}

export interface ProvenEvent extends LoggedEvent {
  block: StoredBlock | null;
  inclusion: InclusionProof | null;
}

export interface ConsistencyProof {
  fromHeight: number;
  toHeight: number;
  fromSize: number;
  toSize: number;
  hashes: string[];
}

export interface LedgerSigningKey {
  kid: string;
  publicKey: string;
  createdAt: Date;
}

@Injectable()
export class LedgerProofs {
  private readonly blocks = new BlockStore();
  private readonly nodes = new MerkleNodeStore();

  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: LedgerReader,
  ) {}

  latestBlock(): Promise<StoredBlock | null> {
    return this.blocks.latest(this.dataSource.manager);
  }

  block(height: number): Promise<StoredBlock | null> {
    return this.blocks.byHeight(this.dataSource.manager, height);
  }

  blockPage(afterHeight: number, limit: number): Promise<StoredBlock[]> {
    return this.blocks.page(this.dataSource.manager, afterHeight, limit);
  }

  /**
   * The event, the block that sealed it, and its inclusion proof in that block's tree — or in the tree of
   * a later block `atHeight`, so a client holding only the newest head can check an old event.
   */
  /** `visible` decides, before anything else is looked at, whether the caller may see the event at all. */
  async provenEvent(hash: string, atHeight?: number, visible: (seq: number) => Promise<boolean> = async () => true): Promise<ProvenEvent | null> {
    const logged = await this.reader.byHash(hash);
    if (!logged || !(await visible(logged.seq))) return null;
    const m = this.dataSource.manager;
    const block = await this.blocks.containing(m, logged.seq);
    if (!block) return { ...logged, block: null, inclusion: null };
    let against = block;
    if (atHeight !== undefined && atHeight !== block.header.height) {
      const later = await this.blocks.byHeight(m, atHeight);
      if (!later) throw new DomainError('NOT_FOUND', `No block at height ${atHeight}.`);
      if (later.header.height < block.header.height) throw new DomainError('BAD_REQUEST', `Event #${logged.seq} is sealed in block ${block.header.height}, after block ${atHeight}.`);
      against = later;
    }
    const leafIndex = logged.seq - 1;
    const plan = inclusionProofPlan(leafIndex, against.header.treeSize);
    const lookup = await this.nodes.fetch(m, nodesOfPlan(plan));
    return { ...logged, block, inclusion: { leafIndex, treeSize: against.header.treeSize, hashes: resolveProofPlan(plan, lookup).map(toHex) } };
  }

  async consistency(fromHeight: number, toHeight: number): Promise<ConsistencyProof> {
    if (fromHeight < 1 || toHeight < fromHeight) throw new DomainError('BAD_REQUEST', 'Heights must satisfy 1 ≤ fromHeight ≤ toHeight.');
    const m = this.dataSource.manager;
    const [from, to] = await Promise.all([this.blocks.byHeight(m, fromHeight), this.blocks.byHeight(m, toHeight)]);
    if (!from || !to) throw new DomainError('NOT_FOUND', `No block at height ${!from ? fromHeight : toHeight}.`);
    const plan = consistencyProofPlan(from.header.treeSize, to.header.treeSize);
    const lookup = await this.nodes.fetch(m, nodesOfPlan(plan));
    return {
      fromHeight,
      toHeight,
      fromSize: from.header.treeSize,
      toSize: to.header.treeSize,
      hashes: resolveProofPlan(plan, lookup).map(toHex),
    };
  }

  async signingKeys(): Promise<LedgerSigningKey[]> {
    const rows: Array<{ kid: string; public_key: string; created_at: Date }> = await this.dataSource.query(
      'SELECT kid, public_key, created_at FROM ledger_signing_keys ORDER BY created_at, kid',
    );
    return rows.map((r) => ({ kid: r.kid, publicKey: r.public_key, createdAt: r.created_at }));
  }
}
