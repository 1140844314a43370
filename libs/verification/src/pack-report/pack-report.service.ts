// The public report on a scanned pack (docs/patient-page.md): the one verdict (PackVerifier, anonymous
// viewer) and what a patient may read around it — product, manufacturer, batch, journey, temperature,
// recall, label signature and the ledger proof. Used by the patient's QR page and its JSON for apps.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PackIdentifiers, PackLinkSignature } from '@pharmatrace/gs1';
import { BackwardTraceService } from '@pharmatrace/tracing';
import { LedgerProofs } from '@pharmatrace/ledger';
import { PackVerifier } from '../pack-verifier.service';
import type { PackVerdict, VerdictReasonCode } from '../pack-verdict';
import { readJourney } from './journey';
import { readLedgerProof } from './ledger-proof';
import { readTemperature } from './temperature';
import type { PackReport, ReportManufacturer, ReportVerdict } from './pack-report.types';

/** Reasons that say the pack in hand may not be what it claims (a falsified, copied or misread code). */
export const NOT_GENUINE_REASONS: ReadonlySet<VerdictReasonCode> = new Set<VerdictReasonCode>([
  'UNKNOWN_PRODUCT', 'UNKNOWN_BATCH', 'UNKNOWN_SERIAL', 'BATCH_MISMATCH', 'EXPIRY_MISMATCH', 'DESTROYED', 'SUSPECTED_CLONE', 'BAD_SIGNATURE',
]);

/** Reasons after which the registered pack's story is not told: the label in hand does not match it. */
const LABEL_MISMATCH: ReadonlySet<VerdictReasonCode> = new Set<VerdictReasonCode>(['BATCH_MISMATCH', 'EXPIRY_MISMATCH', 'BAD_SIGNATURE']);

@Injectable()
export class PackReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly verifier: PackVerifier,
    private readonly trace: BackwardTraceService,
    private readonly proofs: LedgerProofs,
  ) {}

  /**
   * The public report on scanned identifiers at `at`, for an anonymous viewer. `label` is the signature the
   * scanned link carried (readPackLinkSignature), null when none. Reads are bounded: at most
   * MAX_BACKWARD_CUSTODIANS journey steps, MAX_CHART_READINGS readings, one inclusion proof.
   */
  async report(ids: PackIdentifiers, label: PackLinkSignature | null, at: Date = new Date()): Promise<PackReport> {
    const verdict = await this.verifier.verify(ids, at, null, { label });
    const report: PackReport = {
      verdict: reportVerdict(verdict),
      scanned: verdict.scanned,
      product: verdict.product
        ? { gtin: verdict.product.gtin, name: verdict.product.name, activeIngredient: verdict.product.activeIngredient, strength: verdict.product.strength, form: verdict.product.form }
        : null,
      manufacturer: verdict.product ? await this.manufacturer(verdict.product.manufacturerId) : null,
      batch: verdict.batch ? { lot: verdict.batch.lot, expiresOn: verdict.batch.expiresOn } : null,
      journey: [],
      temperature: null,
      recall: verdict.recall ?? null,
      labelSignature: verdict.labelSignature,
      ledger: null,
    };
    const packId = verdict.pack?.id;
    // A link without lot or expiry (not a printed label: a guess needs only GTIN and serial) gets the
    // verdict alone, like a label that does not match: no batch, journey, temperature or proof.
    const incomplete = ids.lot === null || ids.expiry === null;
    if (incomplete) report.batch = null;
    if (!packId || !verdict.product || incomplete || verdict.reasons.some((r) => LABEL_MISMATCH.has(r.code))) return report;
    const m = this.dataSource.manager;
    const [item]: Array<{ state: string }> = await m.query('SELECT state FROM custody_items WHERE id = $1', [packId]);
    const [journey, temperature, ledger] = await Promise.all([
      readJourney(m, this.trace, packId, item?.state ?? ''),
      readTemperature(m, packId, verdict.product.gtin),
      readLedgerProof(m, this.proofs, packId),
    ]);
    return { ...report, journey, temperature, ledger };
  }

  private async manufacturer(id: string): Promise<ReportManufacturer | null> {
    const [row]: Array<{ legal_name: string; gln: string; town: string | null }> = await this.dataSource.query('SELECT legal_name, gln, town FROM participants WHERE id = $1', [id]);
    return row ? { name: row.legal_name, gln: row.gln, town: row.town } : null;
  }
}

function reportVerdict(v: PackVerdict): ReportVerdict {
  return {
    genuine: !v.reasons.some((r) => NOT_GENUINE_REASONS.has(r.code)),
    safeToUse: v.fitToDispense,
    fitToDispense: v.fitToDispense,
    status: v.status,
    reasons: v.reasons.map((r) => ({ code: r.code, message: r.message, emvs: r.emvs, nmvs: r.nmvs })),
    checkedAt: v.checkedAt,
  };
}
