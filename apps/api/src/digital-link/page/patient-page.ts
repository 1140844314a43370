// The patient's page for one scanned pack (docs/patient-page.md): the verdict first in plain words, then
// product, manufacturer, lot and expiry, journey, temperature, recall, label signature and ledger proof.
// Server-rendered; every value escaped; readable without JavaScript.
import type { PackReport } from '@pharmatrace/verification';
import { html, Html } from './html';
import { temperatureChart } from './chart';
import { layout } from './layout';
import { PATIENT_WORDS } from './patient-words';
import { deviceScript } from './device-script';

const date = (iso: string): string => iso.slice(0, 10);

type Tone = 'ok' | 'caution' | 'stop';

function headline(report: PackReport): { tone: Tone; title: string } {
  const { verdict } = report;
  if (verdict.safeToUse) return { tone: 'ok', title: 'This medicine is genuine and safe to use' };
  if (verdict.reasons.every((r) => r.code === 'ALREADY_SUPPLIED')) return { tone: 'caution', title: 'This medicine is genuine and was already given to a patient' };
  return { tone: 'stop', title: verdict.genuine ? 'Do not use this medicine' : 'Do not use this medicine: it may not be genuine' };
}

function verdictSection(report: PackReport): Html {
  const { tone, title } = headline(report);
  const name = report.product ? html`<p>${report.product.name} ${report.product.strength}, ${report.product.form}${report.manufacturer ? html`, made by ${report.manufacturer.name}` : null}.</p>` : null;
  if (tone === 'ok') {
    return html`<div class="verdict ok" id="verdict"><h1>${title}</h1>${name}<p>It is registered by its maker, has not expired, has not been recalled and was kept at the right temperature.</p></div>`;
  }
  const reasons = report.verdict.reasons.map((r) => {
    const words = PATIENT_WORDS[r.code];
    return html`<li><p><strong>${words.what}</strong></p><p class="todo">${words.todo}</p><p class="detail">${r.message} (${r.code})</p></li>`;
  });
  return html`<div class="verdict ${tone}" id="verdict"><h1>${title}</h1>${name}<ul>${reasons}</ul></div>`;
}

function productSection(report: PackReport): Html {
  const { product, manufacturer, batch, scanned } = report;
  return html`<h2>The medicine</h2><dl>
${product ? html`<dt>Product</dt><dd>${product.name}</dd><dt>Strength and form</dt><dd>${product.strength}, ${product.form}</dd><dt>Active ingredient</dt><dd>${product.activeIngredient}</dd>` : null}
${manufacturer ? html`<dt>Manufacturer</dt><dd>${manufacturer.name}${manufacturer.town ? html`, ${manufacturer.town}` : null} (GLN ${manufacturer.gln})</dd>` : null}
<dt>Product code (GTIN)</dt><dd>${scanned.gtin}</dd>
<dt>Serial number</dt><dd>${scanned.serial}</dd>
${batch ? html`<dt>Batch (lot)</dt><dd>${batch.lot}</dd><dt>Expiry date</dt><dd>${batch.expiresOn}</dd>` : html`<dt>Batch and expiry</dt><dd>Not shown: they do not match what was registered for this pack, or the code did not carry them.</dd>`}
</dl>`;
}

function journeySection(report: PackReport): Html {
  if (report.journey.length === 0) return html``;
  const steps = report.journey.map(
    (s) => html`<li><strong>${s.description}</strong><br>${s.kind === 'supplied' ? date(s.from) : html`from ${date(s.from)}${s.to ? html` to ${date(s.to)}` : null}`}</li>`,
  );
  return html`<h2>Its journey</h2><p>Who held this pack, in order.</p><ol class="journey">${steps}</ol>`;
}

function temperatureSection(report: PackReport): Html {
  const t = report.temperature;
  if (!t) return html``;
  const facts = html`<dl><dt>Storage range</dt><dd>${t.storage.minC}–${t.storage.maxC} °C</dd>
${t.verdict === 'broken' || t.minutesOutOfRange > 0 ? html`<dt>Time outside the range</dt><dd>${Math.round(t.minutesOutOfRange)} minutes</dd>` : null}
${t.worstC !== null ? html`<dt>Worst reading</dt><dd>${t.worstC} °C</dd>` : null}
${t.mktC !== null ? html`<dt>Mean kinetic temperature</dt><dd>${t.mktC.toFixed(1)} °C</dd>` : null}
<dt>Readings</dt><dd>${t.readingCount}${t.readings.length < t.readingCount ? html` (${t.readings.length} shown in the chart)` : null}</dd></dl>`;
  return html`<h2>Temperature</h2><p id="temperature-verdict"><strong>${t.summary}</strong></p>${facts}${temperatureChart(t)}`;
}

function recallSection(report: PackReport): Html {
  const r = report.recall;
  if (!r) return html``;
  return html`<h2>Recall notice</h2><div class="recall" id="recall"><p><strong>This batch was recalled on ${date(r.initiatedAt)} (class ${r.class}).</strong></p>
<p>Reason: ${r.reason}</p><p class="todo">What to do: ${r.instructions}</p><p class="detail">Reference ${r.id}</p></div>`;
}

const SIGNATURE_WORDS = {
  valid: 'The code on the pack is signed by its maker, and the signature checks out.',
  invalid: "The code on the pack carries a signature that is not its maker's: the label may be fake.",
  absent: 'The code on the pack carries no maker’s signature (older labels do not).',
} as const;

function signatureSection(report: PackReport): Html {
  return html`<h2>Label signature</h2><p id="label-signature">${SIGNATURE_WORDS[report.labelSignature]}</p>`;
}

function ledgerSection(report: PackReport): Html {
  const l = report.ledger;
  if (!l) return html``;
  const event = html`<dt>Latest record</dt><dd>${l.event.type} on ${date(l.event.at)} (record #${l.event.seq})</dd><dt>Record hash</dt><dd class="hash">${l.event.hash}</dd>`;
  if (l.status === 'not_sealed' || !l.block) {
    return html`<h2>Ledger proof</h2><dl>${event}</dl><p id="ledger-status">This record is not sealed into a block yet. That is normal for a few seconds after a change; reload the page later to see its proof.</p>`;
  }
  return html`<h2>Ledger proof</h2><p id="ledger-status">${l.verified ? 'Inclusion verified on this server: the latest record of this pack is in the public ledger.' : 'The ledger proof did NOT verify on this server. Ask a pharmacist to check the pack.'}</p>
<dl>${event}<dt>Block</dt><dd>${l.block.number}, sealed ${l.block.header.sealedAt}</dd>
<dt>Block header hash</dt><dd class="hash" id="header-hash">${l.block.headerHash}</dd>
<dt>Ledger key</dt><dd class="hash">${l.block.ledgerKeyId}</dd></dl>
<p class="detail">Anyone can check this block header hash against the public ledger and its witnesses.</p>`;
}

/** The whole page. `scanId` lets the page's script attach its device id; null renders no script. */
export function patientPage(report: PackReport, nonce: string, scanId: string | null): string {
  const { title } = headline(report);
  const body = html`${verdictSection(report)}${productSection(report)}${journeySection(report)}${temperatureSection(report)}${recallSection(report)}${signatureSection(report)}${ledgerSection(report)}
<p class="detail">Checked ${report.verdict.checkedAt.slice(0, 16).replace('T', ' ')} UTC.</p>`;
  return layout(title, nonce, body, scanId ? deviceScript(scanId) : null);
}
