// The pages for a link the resolver refuses (400), too many requests (429) and its own failure (500):
// what happened and what to do, in plain words.
import { html } from './html';
import { layout } from './layout';

/** A malformed Digital Link: the parser's sentence, and what the patient can do. */
export function malformedLinkPage(nonce: string, message: string): string {
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
