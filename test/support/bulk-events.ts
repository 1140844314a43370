// Many real, signed events fast: the same envelopes the SDK builds, signed with node:crypto (Ed25519
// signatures are deterministic, so they are byte-identical to the SDK's) to keep big fixtures quick.
import { createPrivateKey, sign } from 'node:crypto';
import { EventEnvelope, eventHash, eventSigningMessage, fromBase64Url, SignedEvent, toBase64Url } from '@pharmatrace/ledger-core';
import { ParticipantEventTypes, participantAssetId } from '@pharmatrace/participants/participant-events';
import { KeyFile, PharmaTraceClient, uuidv7 } from '@pharmatrace/sdk';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function signer(key: KeyFile): (e: EventEnvelope) => SignedEvent {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(fromBase64Url(key.secretKey))]), format: 'der', type: 'pkcs8' });
  return (event) => ({ event, sig: toBase64Url(sign(null, eventSigningMessage(eventHash(event)), privateKey)) });
}

/** `count` licence renewals of `participant` by a regulator, chained from the participant's head. */
export function licenceRenewals(regulator: KeyFile, participant: string, head: string, count: number): SignedEvent[] {
  const signEvent = signer(regulator);
  const out: SignedEvent[] = [];
  let prev = head;
  const at = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const signed = signEvent({
      type: ParticipantEventTypes.licenceRenewed,
      id: uuidv7(),
      actor: regulator.participantId as string,
      kid: regulator.kid,
      at,
      assets: [{ id: participantAssetId(participant), prev }],
      data: { v: 1, participant, licence: { number: `R-${i}`, expiresOn: '2031-12-31' } },
    });
    prev = eventHash(signed.event);
    out.push(signed);
  }
  return out;
}

/** Submits through the API in atomic batches of up to 1,000; returns the last sequence number. */
export async function submitInBatches(client: PharmaTraceClient, events: SignedEvent[]): Promise<number> {
  let last = 0;
  for (let i = 0; i < events.length; i += 1000) {
    const receipts = await client.submitMany(events.slice(i, i + 1000));
    last = receipts[receipts.length - 1].seq;
  }
  return last;
}
