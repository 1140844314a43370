// The audit source on a running server, through the SDK: the regulator's event log and participant
// directory (a regulator's key file signs in), and the public blocks and ledger keys. It sees what the
// server publishes, not its tables: no tree nodes and no event_assets rows, and the ledger may grow
// while it reads (the engine catches up before judging). Prescriptions, pack states and recalls are replayed
// from the events but not compared here: this source gives no prescriptionState, packState or recallState
// reader (the stored prescriptions are not published to a regulator with every field the comparison needs;
// recall(id) omits a batch's added seq, a holder's acknowledgements are shown only to the recall's initiator,
// and no query counts a batch's packs by state), so only the database audit compares them.
import { LedgerClient, PARTICIPANT_FIELDS, ParticipantView, PharmaTraceClient } from '@pharmatrace/sdk';
import { AuditSource, LedgerKeyRecord, SourceBlock, SourceEvent } from '../audit-source';
import type { ParticipantStateReader, StoredKey, StoredParticipant } from '../projections/participant-state';
import type { AssetHeadStateReader, StoredHead } from '../projections/asset-heads-projection';

const EVENT_PAGE = 1000; // the eventLog maximum
const BLOCK_PAGE = 500; // the blocks maximum
const PARTICIPANT_PAGE = 500;

interface LoggedEventView {
  seq: number;
  hash: string;
  event: unknown;
  sig: string;
}

class ApiParticipantReader implements ParticipantStateReader {
  constructor(private readonly client: PharmaTraceClient) {}

  async read(): Promise<{ participants: StoredParticipant[]; keys: StoredKey[] }> {
    const participants: StoredParticipant[] = [];
    const keys: StoredKey[] = [];
    for (let offset = 0; ; offset += PARTICIPANT_PAGE) {
      const { participants: page } = await this.client.query<{ participants: ParticipantView[] }>(
        `query($f: Int!, $o: Int!) { participants(first: $f, offset: $o) { ${PARTICIPANT_FIELDS} } }`,
        { f: PARTICIPANT_PAGE, o: offset },
      );
      for (const { keys: own, assetId: _assetId, ...p } of page) {
        participants.push(p);
        for (const k of own) keys.push({ ...k, participantId: p.id });
      }
      if (page.length < PARTICIPANT_PAGE) return { participants, keys };
    }
  }
}

class ApiAssetHeadReader implements AssetHeadStateReader {
  constructor(private readonly client: PharmaTraceClient) {}

  /** Many heads per request through GraphQL aliases (the API looks heads up one asset at a time). */
  async lookup(assetIds: string[]): Promise<Map<string, StoredHead>> {
    if (assetIds.length === 0) return new Map();
    const params = assetIds.map((_, i) => `$a${i}: String!`).join(', ');
    const fields = assetIds.map((_, i) => `h${i}: assetHead(assetId: $a${i})`).join(' ');
    const variables = Object.fromEntries(assetIds.map((id, i) => [`a${i}`, id]));
    const answer = await this.client.query<Record<string, string | null>>(`query(${params}) { ${fields} }`, variables);
    const found = new Map<string, StoredHead>();
    assetIds.forEach((assetId, i) => {
      const hash = answer[`h${i}`];
      if (hash) found.set(assetId, { assetId, hash });
    });
    return found;
  }
}

export class ApiAuditSource implements AuditSource {
  readonly live = true;
  readonly pageSize = EVENT_PAGE;
  readonly description: string;
  readonly participantState: ParticipantStateReader;
  readonly assetHeadState: AssetHeadStateReader;
  private readonly ledger: LedgerClient;

  /** `regulator` signs in with a regulator's key file: only regulators may read the whole event log. */
  constructor(private readonly regulator: PharmaTraceClient) {
    this.description = regulator.baseUrl;
    this.ledger = new LedgerClient(regulator.baseUrl);
    this.participantState = new ApiParticipantReader(regulator);
    this.assetHeadState = new ApiAssetHeadReader(regulator);
  }

  async events(afterSeq: number, limit: number): Promise<SourceEvent[]> {
    const { eventLog } = await this.regulator.query<{ eventLog: LoggedEventView[] }>(
      'query($a: Int!, $f: Int!) { eventLog(afterSeq: $a, first: $f) { seq hash event sig } }',
      { a: afterSeq, f: Math.min(limit, EVENT_PAGE) },
    );
    return eventLog.map((e) => ({ seq: e.seq, hash: e.hash, sig: e.sig, body: null, event: e.event }));
  }

  blocks(afterHeight: number, limit: number): Promise<SourceBlock[]> {
    return this.ledger.blocks(afterHeight, Math.min(limit, BLOCK_PAGE));
  }

  ledgerKeys(): Promise<LedgerKeyRecord[]> {
    return this.ledger.ledgerKeys();
  }
}
