import { Caller } from '@pharmatrace/auth';
import { EventPipeline, EventReceipt } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { SignedEventInput } from '../ledger/ledger.types';

function typeOf(input: SignedEventInput): unknown {
  const event = input.event;
  return typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
}

/**
 * A role's typed mutation: the signed event must be of the mutation's type (the signature covers the exact
 * envelope, so it travels as signed JSON), then it takes the one pipeline every event takes.
 */
export async function submitTyped(pipeline: EventPipeline, caller: Caller, types: readonly string[], inputs: SignedEventInput[]): Promise<EventReceipt[]> {
  inputs.forEach((input, index) => {
    const type = typeOf(input);
    if (typeof type !== 'string' || !types.includes(type)) {
      throw new DomainError('BAD_REQUEST', `Event ${index} is ${String(type)}; this operation takes ${types.join(' or ')} events.`);
    }
  });
  const signed = inputs.map((i) => ({ event: i.event, sig: i.sig }));
  return inputs.length === 1 ? [await pipeline.submitOne(signed[0], { callerId: caller.participantId })] : pipeline.submitMany(signed, { callerId: caller.participantId });
}
