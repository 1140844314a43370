// The temperature chart: an inline SVG of the readings (a line) against the product's storage range (a
// band), small enough for a phone, with a text alternative for screen readers. No script, no external asset.
import type { ReportTemperature } from '@pharmatrace/verification';
import { html, Html } from './html';

const WIDTH = 320;
const HEIGHT = 140;
const PAD = { left: 36, right: 8, top: 8, bottom: 20 };

const fixed = (n: number): string => (Math.round(n * 10) / 10).toFixed(1);

/** The chart, or nothing when there are no readings to draw. */
export function temperatureChart(t: ReportTemperature): Html {
  if (t.readings.length === 0) return html``;
  const times = t.readings.map((r) => Date.parse(r.at));
  const values = t.readings.map((r) => r.celsius);
  const lowC = Math.min(t.storage.minC, ...values) - 1;
  const highC = Math.max(t.storage.maxC, ...values) + 1;
  const first = Math.min(...times);
  const last = Math.max(...times);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (ms: number): number => PAD.left + (last === first ? plotW / 2 : ((ms - first) / (last - first)) * plotW);
  const y = (c: number): number => PAD.top + ((highC - c) / (highC - lowC)) * plotH;
  const points = t.readings.map((r, i) => `${fixed(x(times[i]))},${fixed(y(r.celsius))}`).join(' ');
  const bandTop = y(t.storage.maxC);
  const bandBottom = y(t.storage.minC);
  const outside = t.readings.filter((r) => r.celsius < t.storage.minC || r.celsius > t.storage.maxC);
  const description = `${t.readings.length} readings from ${t.readings[0].at.slice(0, 10)} to ${t.readings[t.readings.length - 1].at.slice(0, 10)}, between ${fixed(Math.min(...values))} °C and ${fixed(Math.max(...values))} °C; the storage range is ${fixed(t.storage.minC)}–${fixed(t.storage.maxC)} °C; ${outside.length} outside it.`;
  return html`<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="chart-title chart-desc">
<title id="chart-title">Temperature readings against the storage range</title>
<desc id="chart-desc">${description}</desc>
<rect x="${PAD.left}" y="${fixed(bandTop)}" width="${plotW}" height="${fixed(Math.max(1, bandBottom - bandTop))}" class="band"/>
<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${HEIGHT - PAD.bottom}" class="axis"/>
<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" class="axis"/>
<text x="${PAD.left - 4}" y="${fixed(bandTop + 4)}" class="label" text-anchor="end">${fixed(t.storage.maxC)}°</text>
<text x="${PAD.left - 4}" y="${fixed(bandBottom + 4)}" class="label" text-anchor="end">${fixed(t.storage.minC)}°</text>
<polyline points="${points}" class="line"/>
${outside.map((r) => html`<circle cx="${fixed(x(Date.parse(r.at)))}" cy="${fixed(y(r.celsius))}" r="2.5" class="out"/>`)}
</svg>
<figcaption>${description}</figcaption>
</figure>`;
}
