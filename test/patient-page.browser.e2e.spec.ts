// What a patient sees: the demo network's packs opened from their signed QR links in real headless
// Chromium at a phone's size — a genuine pen, a recalled one, a quarantined one, a dispensed one and a
// serial that was never made — asserting what a person reads, with screenshots saved to
// test-output/screenshots/ for a human to look at. Also: the page reads the same with JavaScript off,
// loads nothing from another host, and (with JavaScript) names the phone's random device id for the scan.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EventPipeline } from '@pharmatrace/ledger';
import { PackVerifier } from '@pharmatrace/verification';
import {
  demoGenesis, demoPackLinks, demoPacksToShow, DemoPackState, seedDemoCustody, seedDemoDispensing, seedDemoParticipants, seedDemoRecall,
} from '@pharmatrace/demo-network';
import { parsePackScan } from '@pharmatrace/gs1';
import { browserUnavailable, launchChromium, phoneContext } from './support/browser';
import { sealEverything, startTestServer, TestServer, waitFor } from './support/test-server';

const SCREENSHOTS = join(__dirname, '..', 'test-output', 'screenshots');
const skip = browserUnavailable();

describe('the patient page in a phone browser', { skip: skip ?? false }, () => {
  let server: TestServer;
  let browser: Browser;
  let links: Record<DemoPackState | 'unknown', string>;

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer();
    const keysDir = join(server.environment.env.PHARMATRACE_DATA_DIR, 'demo-keys');
    await server.api.get(EventPipeline).submitOne(demoGenesis(keysDir));
    await seedDemoParticipants(server.url, keysDir);
    const custody = await seedDemoCustody(server.url, keysDir);
    assert.ok(custody);
    const rx = await seedDemoDispensing(server.url, keysDir, custody);
    const recall = await seedDemoRecall(server.url, keysDir);
    const packs = demoPackLinks(server.url, keysDir, demoPacksToShow(custody, rx, recall));
    links = Object.fromEntries(packs.map((p) => [p.state, p.link])) as typeof links;
    // A serial Helix never made, on a genuine product and lot (a falsified pack's code).
    links.unknown = links.genuine.replace(/\/21\/[^?]+/, '/21/NEVER0MADE42');
    // The worker quarantines the case that travelled through the excursion once it has judged the readings.
    const verifier = server.api.get(PackVerifier);
    const quarantined = parsePackScan(links.quarantined);
    assert.ok(quarantined.ok);
    await waitFor('the excursion to quarantine the pack', async () => (await verifier.verify(quarantined.pack)).status === 'quarantined', 30_000);
    await sealEverything(server);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a link on a phone, checks nothing came from another host, saves a full-page screenshot. */
  async function open(name: string, link: string, options: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; text: string; headline: string }> {
    const context = await phoneContext(browser, options);
    const page = await context.newPage();
    const foreign: string[] = [];
    const origin = new URL(server.url).origin;
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol !== 'data:' && url.origin !== origin) foreign.push(r.url());
    });
    const response = await page.goto(link, { waitUntil: 'load' });
    assert.ok(response, `${name}: no response`);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    assert.deepEqual(foreign, [], `${name}: the page loaded something from another host`);
    const headline = (await page.locator('h1').first().innerText()).trim();
    const text = await page.locator('body').innerText();
    return { page, text, headline };
  }

  it('a genuine pen: says it is genuine and safe first, then the product, lot, expiry, journey, temperature and the verified ledger proof', async () => {
    const { text, headline, page } = await open('genuine', links.genuine);
    assert.match(headline, /genuine/i);
    assert.doesNotMatch(headline, /do not|not genuine/i);
    assert.match(text, /Glargex 100 U\/mL/);
    assert.match(text, /Helix Pharma/);
    assert.match(text, /INS-2026-001/);
    assert.match(text, /Held by a pharmacy in York/, 'the journey gives the pharmacy by role and town');
    assert.doesNotMatch(text, /Central Square/, 'never by name');
    assert.match(text, /Northline/, 'the journey names the wholesaler');
    assert.match(text, /2\s*(–|-|to)\s*8\s*°C/, 'the storage range beside the temperature verdict');
    assert.match(text, /[0-9a-f]{64}/, 'the block header hash, in full, to check elsewhere');
    assert.match(text, /verified/i);
    // The readings are drawn against the storage range, inline (no image from anywhere else).
    assert.ok((await page.locator('svg').count()) >= 1, 'a temperature chart');
    // The verdict comes before the detail: the first heading is the answer.
    const firstHeading = await page.locator('h1, h2').first().innerText();
    assert.equal(firstHeading.trim(), headline);
  });

  it('a recalled pen: says not to use it, that it is recalled, and the recall instructions', async () => {
    const { text, headline } = await open('recalled', links.recalled);
    assert.match(headline, /do not|not safe|don.t/i);
    assert.match(text, /recall/i);
    assert.match(text, /Sub-potent/);
    assert.match(text, /Stop supplying Glargex lot INS-2026-002/);
  });

  it('a quarantined pen: says not to use it and that it was kept out of its temperature range', async () => {
    const { text, headline } = await open('quarantined', links.quarantined);
    assert.match(headline, /do not|not safe|don.t/i);
    assert.match(text, /quarantin/i);
    assert.match(text, /temperature/i);
  });

  it('a dispensed pen: says it was already supplied to a patient (a second one with this code is suspect)', async () => {
    const { text, headline } = await open('dispensed', links.dispensed);
    assert.match(`${headline}\n${text}`, /already (been )?(supplied|dispensed)/i);
  });

  it('a serial that was never made: says the code is not one the manufacturer made, and what to do', async () => {
    const { text, headline } = await open('unknown-serial', links.unknown);
    assert.match(headline, /do not|not genuine|not recogni[sz]ed|cannot/i);
    assert.match(text, /NEVER0MADE42/);
    assert.match(text, /pharmac/i, 'tells the patient to take it to a pharmacy');
  });

  it('reads the same with JavaScript off', async () => {
    const withScript = await open('genuine', links.genuine);
    const without = await open('genuine-no-javascript', links.genuine, { javaScriptEnabled: false });
    assert.equal(without.headline, withScript.headline);
    assert.match(without.text, /Glargex 100 U\/mL/);
    assert.match(without.text, /[0-9a-f]{64}/);
  });

  it('with JavaScript, names a random device id for the scan — kept in the phone, no IP address stored', async () => {
    const before: Array<{ n: string }> = await server.runtime.dataSource.query(`SELECT count(*) AS n FROM pack_scans WHERE device_id IS NOT NULL`);
    const { page } = await open('genuine-device', links.genuine);
    const deviceId = await page.evaluate(() => Object.entries(localStorage).find(([, v]) => /^[A-Za-z0-9_-]{16,64}$/.test(String(v)))?.[1] ?? null);
    assert.ok(deviceId, 'the page keeps a random device id in local storage');
    const rows = await waitFor('the scan to carry the device id', async () => {
      const r: Array<{ device_id: string; region: string | null }> = await server.runtime.dataSource.query(`SELECT device_id, region FROM pack_scans WHERE device_id = $1`, [deviceId]);
      return r.length > 0 ? r : null;
    });
    assert.equal(rows[0].region, 'Europe/Berlin', "the phone's time zone, as a coarse region");
    const after: Array<{ n: string }> = await server.runtime.dataSource.query(`SELECT count(*) AS n FROM pack_scans WHERE device_id IS NOT NULL`);
    assert.equal(Number(after[0].n), Number(before[0].n) + 1);
    const columns: Array<{ column_name: string }> = await server.runtime.dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'pack_scans'`);
    assert.deepEqual(columns.map((c) => c.column_name).filter((c) => /ip|addr|agent/i.test(c)), []);
  });
});
