// The message a participant signs to sign in: domain-separated from event and block signatures, so a
// sign-in signature can never be replayed as an event signature or the other way round.
import { canonicalJson } from './canonical';
import { concatBytes, utf8 } from './encoding';

export const SIGN_IN_CONTEXT = 'PharmaTrace/sign-in/v1';

export interface SignInChallengeFields {
  participantId: string;
  kid: string;
  nonce: string;
}

export function signInMessage(c: SignInChallengeFields): Uint8Array {
  return concatBytes(utf8(SIGN_IN_CONTEXT), new Uint8Array([0]), utf8(canonicalJson({ kid: c.kid, nonce: c.nonce, participantId: c.participantId })));
}
