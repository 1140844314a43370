// The worker's side of the cold chain: takes subjects with new readings, judges every item they concern
// against its products' policies over its custody window, stores the verdicts, and quarantines the items
// whose readings break a policy.
//
// What is judged: readings attached to an item judge that item; readings attached to a shipment judge
// the items listed in it (pallets, cases or loose packs). What is quarantined is what was judged: a
// container's quarantine covers its contents (custody reads a pack's availability through its outermost
// container), so packs inside a pallet are not quarantined one by one.
//
// The custody window is the item's tracked life, not only its current custodian's time: its own readings,
// its containers' while it sat in them, its shipments' while they carried it (see window-sources.ts), from
// commissioning or from its last release. Within it a reading counts only if a key of whoever answered for
// the subject then recorded it: the item's (or container's) custodian of the moment, a shipment's sender or
// recipient between shipping and receipt. Readings outside the window (before the item existed, after a
// handover, by a former custodian) are kept and shown by the history, but never judged. Excursion budgets
// are cumulative over a product's life; resetting them at every handover would give each custodian the
// whole budget again. A release marks the readings up to it as reviewed by the manufacturer or regulator,
// so the same excursion does not quarantine the item again.
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { evaluateExcursions, ExcursionReport } from '../excursion-evaluation';
import { QuarantineFigures } from '../cold-chain-events';
import { findShipment } from '../custody-parties';
import {
  claimPending,
  EvaluationRow,
  finishPending,
  itemStates,
  lastReleases,
  PendingSubject,
  policiesOf,
  ProductPolicy,
  retryPendingLater,
  saveEvaluations,
  subjectsWithReadings,
  windowReadings,
} from './evaluation.store';
import { QuarantineIssuer } from './quarantine-issuer';
import { ReadingSource, windowSources } from './window-sources';

const CLAIM_BATCH = 20;
const RETRY_AFTER_SECONDS = 30;

export interface SubjectOutcome {
  subject: string;
  evaluated: number;
  quarantined: string[];
}

interface Breach {
  item: string;
  gtin: string;
  policy: ProductPolicy;
  report: ExcursionReport;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

@Injectable()
export class ColdChainEvaluator {
  private readonly log = new Logger(ColdChainEvaluator.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly issuer: QuarantineIssuer,
  ) {}

  /** Evaluates every pending subject this worker can claim; returns what it did. */
  async evaluatePending(): Promise<SubjectOutcome[]> {
    const m = this.dataSource.manager;
    const outcomes: SubjectOutcome[] = [];
    for (;;) {
      const claimed = await claimPending(m, CLAIM_BATCH);
      if (claimed.length === 0) return outcomes;
      for (const pending of claimed) {
        const outcome = await this.evaluateClaimed(pending);
        if (outcome) outcomes.push(outcome);
      }
    }
  }

  private async evaluateClaimed(pending: PendingSubject): Promise<SubjectOutcome | null> {
    const m = this.dataSource.manager;
    try {
      const outcome = await this.evaluateSubject(pending.subject);
      await finishPending(m, pending);
      return outcome;
    } catch (e) {
      // Left pending: the timer tries again after the back-off, so a transient failure delays, never skips.
      this.log.error(`Cold-chain evaluation of ${pending.subject} failed; retrying in ${RETRY_AFTER_SECONDS} s: ${e instanceof Error ? e.message : String(e)}`);
      await retryPendingLater(m, pending.subject, RETRY_AFTER_SECONDS);
      return null;
    }
  }

  async evaluateSubject(subject: string): Promise<SubjectOutcome> {
    const m = this.dataSource.manager;
    const items = subject.startsWith('shipment:') ? ((await findShipment(m, subject))?.items ?? []) : [subject];
    const policies = await policiesOf(m, items);
    const judged = items.filter((id) => (policies.get(id) ?? []).length > 0); // ingredient lots have no product policy
    if (judged.length === 0) return { subject, evaluated: 0, quarantined: [] };

    // In turn: the evaluation's transaction is one connection, which takes one query at a time.
    const sources = await windowSources(m, judged);
    const releases = await lastReleases(m, judged);
    const states = await itemStates(m, judged);
    const withReadings = await subjectsWithReadings(m, [...new Set([...sources.values()].flat().map((s) => s.subject))]);
    // Items whose windows draw on the same readings share one series (a shipment's pallets, typically).
    const groups = new Map<string, { sources: ReadingSource[]; after: string | null; items: string[] }>();
    for (const item of judged) {
      const used = (sources.get(item) ?? []).filter((s) => withReadings.has(s.subject));
      const after = releases.get(item) ?? null;
      const key = JSON.stringify([used, after]);
      const group = groups.get(key) ?? { sources: used, after, items: [] };
      group.items.push(item);
      groups.set(key, group);
    }

    const now = new Date();
    const rows: EvaluationRow[] = [];
    const breaches: Breach[] = [];
    for (const group of groups.values()) {
      const { readings, throughSeq } = group.sources.length ? await windowReadings(m, group.sources, group.after) : { readings: [], throughSeq: 0 };
      const byProduct = new Map<string, ExcursionReport>();
      for (const item of group.items) {
        for (const p of policies.get(item) ?? []) {
          const report = byProduct.get(p.gtin) ?? evaluateExcursions(readings, p.range, p.policy);
          byProduct.set(p.gtin, report);
          rows.push({ subject: item, gtin: p.gtin, report, throughSeq });
          const state = states.get(item);
          if (report.verdict === 'broken' && (state === 'active' || state === 'in_transit')) breaches.push({ item, gtin: p.gtin, policy: p, report });
        }
      }
    }
    // A broken verdict on an item that can still be shipped is stored only once its quarantine has committed:
    // whoever reads the verdict as broken finds the item held, never "broken" and still available. The
    // other verdicts are stored first; those of items being quarantined wait for it (the subject stays
    // pending meanwhile, and until the end of the evaluation).
    const breached = new Set(breaches.map((b) => b.item));
    await saveEvaluations(m, rows.filter((r) => !breached.has(r.subject)), now);
    const quarantined = await this.quarantine(subject, breaches, rows, now);
    return { subject, evaluated: rows.length, quarantined };
  }

  /**
   * One quarantine event per distinct verdict (same product, same figures), naming all its items; then the
   * verdicts of those items, linked to their quarantine. If an event fails, the verdicts of the items already
   * settled (quarantined, or found held or gone) are stored before the error goes on; the others keep their
   * former verdict, and their subject stays pending until the evaluation is retried.
   */
  private async quarantine(subject: string, breaches: Breach[], rows: EvaluationRow[], now: Date): Promise<string[]> {
    const byVerdict = new Map<string, { items: Set<string>; figures: QuarantineFigures; reason: string }>();
    for (const b of breaches) {
      const figures = figuresOf(subject, b);
      const key = JSON.stringify(figures);
      const entry = byVerdict.get(key) ?? { items: new Set<string>(), figures, reason: `${b.report.reasons.join('; ')} (product ${b.gtin})` };
      entry.items.add(b.item);
      byVerdict.set(key, entry);
    }
    const done = new Set<string>();
    /** Items whose breach is settled: quarantined now, or found no longer quarantinable (held, gone) by the issuer. */
    const settled = new Set<string>();
    /** `${item} ${gtin}` → the quarantine that verdict caused. */
    const hashes = new Map<string, string>();
    try {
      for (const v of byVerdict.values()) {
        // An item breaking two products' policies is quarantined once, by the first.
        const items = [...v.items].filter((id) => !done.has(id));
        for (const issued of items.length ? await this.issuer.quarantine(items, v.reason, v.figures) : []) {
          this.log.log(`Quarantined ${issued.items.length} item(s) of ${v.figures.product} after readings of ${subject}: event #${issued.receipt.seq}`);
          for (const id of issued.items) {
            done.add(id);
            settled.add(id);
            hashes.set(`${id} ${v.figures.product}`, issued.receipt.hash);
          }
        }
        v.items.forEach((id) => settled.add(id));
      }
    } finally {
      const held = rows
        .filter((r) => settled.has(r.subject))
        .map((r) => ({ ...r, quarantineHash: hashes.get(`${r.subject} ${r.gtin}`) ?? null }));
      await saveEvaluations(this.dataSource.manager, held, now);
    }
    return [...done];
  }
}

function figuresOf(subject: string, b: Breach): QuarantineFigures {
  const r = b.report;
  return {
    subject,
    product: b.gtin,
    policy: { minC: b.policy.range.minC, maxC: b.policy.range.maxC, maxMinutesOutOfRange: b.policy.policy.maxMinutesOutOfRange, maxMktC: b.policy.policy.maxMktC },
    window: { from: new Date(r.from ?? 0).toISOString(), to: new Date(r.to ?? 0).toISOString() },
    readings: r.readings,
    minutesOutOfRange: round2(r.minutesOutOfRange),
    worstC: r.worst?.celsius ?? 0,
    mktC: round2(r.mktC ?? 0),
    breaches: r.breaches,
  };
}
