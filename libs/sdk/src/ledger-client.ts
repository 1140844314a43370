// Reads blocks, proofs and the ledger's keys. Public reads need no key file; verify what they return
// with ledger-verification.ts against a pinned ledger key.
import { BLOCK_FIELDS, PROVEN_EVENT_FIELDS } from './api-types';
import { GraphqlClient } from './graphql-client';
import type { BlockView, ConsistencyProofView, ProvenEventView } from './ledger-verification';
import type { PharmaTraceClient } from './pharmatrace-client';

export interface LedgerKeyView {
  kid: string;
  publicKey: string;
}

export class LedgerClient {
  readonly graphql: GraphqlClient;

  constructor(baseUrl: string) {
    this.graphql = new GraphqlClient(`${baseUrl.replace(/\/$/, '')}/graphql`);
  }

  async latestBlock(): Promise<BlockView | null> {
    return (await this.graphql.request<{ latestBlock: BlockView | null }>(`query { latestBlock { ${BLOCK_FIELDS} } }`)).latestBlock;
  }

  async block(height: number): Promise<BlockView | null> {
    return (await this.graphql.request<{ block: BlockView | null }>(`query($h: Int!) { block(height: $h) { ${BLOCK_FIELDS} } }`, { h: height })).block;
  }

  async blocks(afterHeight: number, first = 100): Promise<BlockView[]> {
    return (await this.graphql.request<{ blocks: BlockView[] }>(`query($a: Int!, $f: Int!) { blocks(afterHeight: $a, first: $f) { ${BLOCK_FIELDS} } }`, { a: afterHeight, f: first }))
      .blocks;
  }

  async consistencyProof(fromHeight: number, toHeight: number): Promise<ConsistencyProofView> {
    return (
      await this.graphql.request<{ consistencyProof: ConsistencyProofView }>(
        'query($a: Int!, $b: Int!) { consistencyProof(fromHeight: $a, toHeight: $b) { fromHeight toHeight fromSize toSize hashes } }',
        { a: fromHeight, b: toHeight },
      )
    ).consistencyProof;
  }

  async ledgerKeys(): Promise<LedgerKeyView[]> {
    return (await this.graphql.request<{ ledgerKeys: LedgerKeyView[] }>('query { ledgerKeys { kid publicKey } }')).ledgerKeys;
  }
}

/** An event with its block and inclusion proof (needs a signed-in participant). */
export async function provenEvent(client: PharmaTraceClient, hash: string, atHeight?: number): Promise<ProvenEventView | null> {
  const r = await client.query<{ provenEvent: ProvenEventView | null }>(
    `query($h: String!, $at: Int) { provenEvent(hash: $h, atHeight: $at) { ${PROVEN_EVENT_FIELDS} } }`,
    { h: hash, at: atHeight ?? null },
  );
  return r.provenEvent;
}
