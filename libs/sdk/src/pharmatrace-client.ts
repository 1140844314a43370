// The client a participant's systems use: signs in with its key file, builds and signs events, and
// submits them. Tests, the CLI and the demo drive the server only through this.
import { EventData, fromBase64Url, SignedEvent, signInMessage, signMessage, toBase64Url } from '@pharmatrace/ledger-core';
import { GraphqlClient, PharmaTraceApiError } from './graphql-client';
import { KeyFile } from './key-file';
import { EventDraft, signDraft } from './event-signer';
import { ParticipantView, PARTICIPANT_FIELDS, Receipt, RECEIPT_FIELDS } from './api-types';

export class PharmaTraceClient {
  readonly graphql: GraphqlClient;
  private sessionExpiresAt = 0;

  constructor(
    readonly baseUrl: string,
    readonly key: KeyFile,
  ) {
    this.graphql = new GraphqlClient(`${baseUrl.replace(/\/$/, '')}/graphql`);
  }

  get participantId(): string {
    if (!this.key.participantId) throw new Error('The key file has no participantId.');
    return this.key.participantId;
  }

  /** Challenge–response with the key; keeps the token for later calls. */
  async signIn(): Promise<{ token: string; expiresAt: string }> {
    const { requestSignInChallenge: challenge } = await this.graphql.request<{ requestSignInChallenge: { nonce: string } }>(
      'mutation($p: String!, $k: String!) { requestSignInChallenge(participantId: $p, kid: $k) { nonce expiresAt } }',
      { p: this.participantId, k: this.key.kid },
    );
    const signature = toBase64Url(
      signMessage(signInMessage({ participantId: this.participantId, kid: this.key.kid, nonce: challenge.nonce }), fromBase64Url(this.key.secretKey)),
    );
    const { signIn } = await this.graphql.request<{ signIn: { token: string; expiresAt: string } }>(
      'mutation($i: SignInInput!) { signIn(input: $i) { token expiresAt } }',
      { i: { participantId: this.participantId, kid: this.key.kid, nonce: challenge.nonce, signature } },
    );
    this.graphql.token = signIn.token;
    this.sessionExpiresAt = Date.parse(signIn.expiresAt);
    return signIn;
  }

  async signOut(): Promise<void> {
    await this.graphql.request('mutation { signOut }');
    this.graphql.token = null;
  }

  private async ensureSession(): Promise<void> {
    if (!this.graphql.token || Date.now() > this.sessionExpiresAt - 30_000) await this.signIn();
  }

  /** A GraphQL call as the signed-in participant (signs in first when needed). */
  async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    await this.ensureSession();
    try {
      return await this.graphql.request<T>(query, variables);
    } catch (e) {
      // The server ends sessions early (suspension, key revocation, restart of a policy): sign in once more.
      if (!(e instanceof PharmaTraceApiError) || e.code !== 'SESSION_EXPIRED') throw e;
      await this.signIn();
      return this.graphql.request<T>(query, variables);
    }
  }

  sign<D extends EventData>(draft: EventDraft<D>): SignedEvent<D> {
    return signDraft(this.key, draft);
  }

  async submit(signed: SignedEvent): Promise<Receipt> {
    const r = await this.query<{ submitEvent: Receipt }>(`mutation($i: SignedEventInput!) { submitEvent(input: $i) { ${RECEIPT_FIELDS} } }`, {
      i: signed,
    });
    return r.submitEvent;
  }

  async submitMany(signed: SignedEvent[]): Promise<Receipt[]> {
    const r = await this.query<{ submitEvents: Receipt[] }>(`mutation($i: [SignedEventInput!]!) { submitEvents(input: $i) { ${RECEIPT_FIELDS} } }`, {
      i: signed,
    });
    return r.submitEvents;
  }

  async assetHead(assetId: string): Promise<string | null> {
    return (await this.query<{ assetHead: string | null }>('query($a: String!) { assetHead(assetId: $a) }', { a: assetId })).assetHead;
  }

  /** Current heads of many assets in one request (1,000 at a time). */
  async assetHeads(assetIds: string[]): Promise<Map<string, string>> {
    const heads = new Map<string, string>();
    for (let i = 0; i < assetIds.length; i += 1000) {
      const r = await this.query<{ assetHeads: Array<{ assetId: string; head: string }> }>('query($a: [String!]!) { assetHeads(assetIds: $a) { assetId head } }', {
        a: assetIds.slice(i, i + 1000),
      });
      for (const h of r.assetHeads) heads.set(h.assetId, h.head);
    }
    return heads;
  }

  /** Signs an event whose assets cite the prevs read from the server just before (null for `creates`). */
  async signWithHeads<D extends EventData>(type: string, assetIds: string[], data: D, options: { creates?: string[] } = {}): Promise<SignedEvent<D>> {
    const creates = new Set(options.creates ?? []);
    const heads = await this.assetHeads(assetIds.filter((id) => !creates.has(id)));
    const assets = assetIds.map((id) => ({ id, prev: creates.has(id) ? null : (heads.get(id) ?? null) }));
    return this.sign({ type, assets, data });
  }

  /** Signs and submits an event on assets whose prev is read from the server just before. */
  async act<D extends EventData>(type: string, assetIds: string[], data: D, options: { creates?: string[] } = {}): Promise<Receipt> {
    return this.submit(await this.signWithHeads(type, assetIds, data, options));
  }

  async me(): Promise<ParticipantView> {
    return (await this.query<{ me: ParticipantView }>(`query { me { ${PARTICIPANT_FIELDS} } }`)).me;
  }

  async participant(id: string): Promise<ParticipantView | null> {
    return (await this.query<{ participant: ParticipantView | null }>(`query($id: String!) { participant(id: $id) { ${PARTICIPANT_FIELDS} } }`, { id }))
      .participant;
  }
}

export { PharmaTraceApiError };
