// Reads what the database holds about scanned pack identifiers and asks the pure decision
// (pack-verdict.ts) for the verdict. The one place every scan is judged: the pharmacist's counter scan
// (GraphQL verifyPack), and later the patient's QR page and the DSCSA responder.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PackIdentifiers } from '@pharmatrace/gs1';
import { effectiveItems } from '@pharmatrace/custody';
import { packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import { AccessPolicy, Viewer } from '@pharmatrace/access';
import { recallNoticesOfBatches } from '@pharmatrace/recalls/recall-facts';
import { decidePackVerdict, PackVerdict, VerdictBatch, VerdictFacts, VerdictProduct } from './pack-verdict';

interface CatalogRow {
  product: VerdictProduct | null;
  scanned_batch: VerdictBatch | null;
}

@Injectable()
export class PackVerifier {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
  ) {}

  /**
   * The verdict on a pack's identifiers at `at` (the expiry is judged on that UTC day). `viewer` is who
   * scans: it tells "supplied here" from "elsewhere", and only that pack's custodian or a regulator is
   * told who holds it. Anonymous (the patient page): null.
   */
  async verify(ids: PackIdentifiers, at: Date = new Date(), viewer: Viewer | null = null): Promise<PackVerdict> {
    const scanned: PackIdentifiers = { ...ids, gtin: ids.gtin.padStart(14, '0') };
    const facts = await this.facts(scanned, at.toISOString().slice(0, 10), viewer?.participantId ?? null);
    const verdict = decidePackVerdict(facts, at.toISOString());
    if (verdict.pack && !this.seesCustodian(viewer, facts.pack?.custodianId ?? null)) delete verdict.pack.custodianId;
    return verdict;
  }

  private seesCustodian(viewer: Viewer | null, custodianId: string | null): boolean {
    return viewer !== null && (this.access.isRegulator(viewer) || viewer.participantId === custodianId);
  }

  /** Everything the decision needs, read in one REPEATABLE READ snapshot so product, batch, pack and recall agree. */
  private async facts(scanned: PackIdentifiers, today: string, scannedBy: string | null): Promise<VerdictFacts> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const [catalog]: CatalogRow[] = await runner.query(
          `SELECT
             (SELECT json_build_object('gtin', pr.gtin, 'name', pr.name, 'activeIngredient', pr.active_ingredient, 'strength', pr.strength,
                                       'form', pr.form, 'manufacturerId', pr.manufacturer_id, 'manufacturerName', m.legal_name)
                FROM products pr JOIN participants m ON m.id = pr.manufacturer_id WHERE pr.gtin = $1) AS product,
             (SELECT json_build_object('lot', b.lot, 'expiresOn', to_char(b.expires_on, 'YYYY-MM-DD'))
                FROM batches b WHERE b.gtin = $1 AND b.lot = $2) AS scanned_batch`,
          [scanned.gtin, scanned.lot],
        );
        const id = packAssetId(scanned.gtin, scanned.serial);
        const item = catalog.product ? (await effectiveItems(runner.manager, [id])).get(id) : undefined;
        const lot = item?.batchId ? parseBatchAssetId(item.batchId)?.lot : undefined;
        const notice = item?.kind === 'pack' && item.batchId ? (await recallNoticesOfBatches(runner.manager, [item.batchId])).get(item.batchId) : undefined;
        const recall = notice
          ? { id: notice.id, class: notice.class, reason: notice.reason, instructions: notice.instructions, notifyPatients: notice.notifyPatients, initiatedAt: notice.initiatedAt }
          : null;
        return {
          scanned,
          today,
          product: catalog.product,
          scannedBatch: catalog.scanned_batch,
          pack:
            item && item.kind === 'pack'
              ? {
                  id: item.id,
                  state: item.state,
                  topState: item.topState,
                  inTransit: item.inTransitOn !== null,
                  custodianId: item.custodianId,
                  batch: lot !== undefined && item.expiresOn !== null ? { lot, expiresOn: item.expiresOn } : null,
                }
              : null,
          scannedBy,
          recall,
        };
      } finally {
        await runner.query('ROLLBACK');
      }
    } finally {
      await runner.release();
    }
  }
}
