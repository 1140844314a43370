// The pages for a link the resolver refuses (400), too many requests (429) and its own failure (500):
// what happened and what to do, in plain words.
import { html } from './html';
import { layout } from './layout';

/** Bidirectional formatting characters (Unicode TR9): echoed, they would reorder the sentence on screen. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The parser's sentence with any bidi control it quotes written as its code point (U+202E), not applied. */
export function visibleMessage(message: string): string {
  return message.replace(BIDI_CONTROLS, (char) => `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** A malformed Digital Link: the parser's sentence, and what the patient can do. */
export function malformedLinkPage(nonce: string, rawMessage: string): string {
  const message = visibleMessage(rawMessage);
  return layout(
    'This code is not a valid medicine code',
    nonce,
    html`<div class="verdict stop"><h1>This code is not a valid medicine code</h1>
<p>${message}</p>
<p class="todo">Try scanning the square code on the pack again. If this page comes back, do not take the medicine until a pharmacist has checked the pack.</p></div>`,
  );
}

export function tooManyRequestsPage(nonce: string, retryAfterSeconds: number): string {
  return layout(
    'Too many checks from this connection',
    nonce,
    html`<div class="verdict caution"><h1>Too many checks from this connection</h1>
<p>Please wait ${retryAfterSeconds} seconds and scan the pack again.</p></div>`,
  );
}

export function unavailablePage(nonce: string): string {
  return layout(
    'We cannot check this medicine right now',
    nonce,
    html`<div class="verdict caution"><h1>We cannot check this medicine right now</h1>
<p>Something went wrong on our side. Please try again in a few minutes, or ask a pharmacist to check the pack.</p></div>`,
  );
}
