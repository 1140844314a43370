// Reads what the database holds about scanned pack identifiers and asks the pure decision
// (pack-verdict.ts) for the verdict. The one place every scan is judged: the pharmacist's counter scan
// (GraphQL verifyPack), and later the patient's QR page and the DSCSA responder.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isoToGs1Date, type PackIdentifiers, type PackLinkSignature } from '@pharmatrace/gs1';
import { fromBase64Url, verifyPackLabel } from '@pharmatrace/ledger-core';
import { NodeCryptoVerifier } from '@pharmatrace/ledger-core/node-crypto-verifier';
import { effectiveItems } from '@pharmatrace/custody';
import { packAssetId, parseBatchAssetId } from '@pharmatrace/custody/custody-events';
import { AccessPolicy, Viewer } from '@pharmatrace/access';
import { recallNoticesOfBatches } from '@pharmatrace/recalls/recall-facts';
import { decidePackVerdict, LabelSignatureStatus, PackVerdict, VerdictBatch, VerdictCloneAlert, VerdictFacts, VerdictProduct } from './pack-verdict';

/** What a scan may carry besides the identifiers. */
export interface VerifyOptions {
  /** The label signature read from the scanned link (readPackLinkSignature); null or absent when none. */
  label?: PackLinkSignature | null;
}

interface CatalogRow {
  product: VerdictProduct | null;
  scanned_batch: VerdictBatch | null;
}

@Injectable()
export class PackVerifier {
  private readonly signatures = new NodeCryptoVerifier();

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
  ) {}

  /**
   * The verdict on a pack's identifiers at `at` (the expiry is judged on that UTC day). `viewer` is who
   * scans: it tells "supplied here" from "elsewhere", and only that pack's custodian or a regulator is
   * told who holds it. Anonymous (the patient page): null.
   */
  async verify(ids: PackIdentifiers, at: Date = new Date(), viewer: Viewer | null = null, options: VerifyOptions = {}): Promise<PackVerdict> {
    const scanned: PackIdentifiers = { ...ids, gtin: ids.gtin.padStart(14, '0') };
    const facts = await this.facts(scanned, at.toISOString().slice(0, 10), viewer?.participantId ?? null, options.label ?? null);
    const verdict = decidePackVerdict(facts, at.toISOString());
    if (verdict.pack && !this.seesCustodian(viewer, facts.pack?.custodianId ?? null)) delete verdict.pack.custodianId;
    return verdict;
  }

  private seesCustodian(viewer: Viewer | null, custodianId: string | null): boolean {
    return viewer !== null && (this.access.isRegulator(viewer) || viewer.participantId === custodianId);
  }

  /** Everything the decision needs, read in one REPEATABLE READ snapshot so product, batch, pack and recall agree. */
  private async facts(scanned: PackIdentifiers, today: string, scannedBy: string | null, label: PackLinkSignature | null): Promise<VerdictFacts> {
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
          cloneAlert: catalog.product ? await this.cloneAlertUnderInvestigation(runner.manager, scanned) : null,
          labelSignature: catalog.product ? await this.labelSignature(runner.manager, scanned, catalog.product.manufacturerId, label) : label ? 'invalid' : 'absent',
        };
      } finally {
        await runner.query('ROLLBACK');
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * The earliest clone-suspected alert on the serial that the manufacturer or a regulator took up
   * (status under_investigation; libs/scan-alerts writes them). The EMVS way: an alert is raised from scans anyone
   * can make (region and device are what the client says), so a `new` alert is evidence for the investigators —
   * told, listed — and changes no verdict; a person moving it to under_investigation does, and closing it clears it.
   */
  private async cloneAlertUnderInvestigation(manager: EntityManager, scanned: PackIdentifiers): Promise<VerdictCloneAlert | null> {
    const [row]: Array<{ id: string; kind: string; raised_at: Date }> = await manager.query(
      `SELECT id, kind, raised_at FROM verification_alerts
        WHERE gtin = $1 AND serial = $2 AND clone_suspected AND status = 'under_investigation'
        ORDER BY raised_at, id LIMIT 1`,
      [scanned.gtin, scanned.serial],
    );
    return row ? { id: row.id, kind: row.kind, raisedAt: row.raised_at.toISOString() } : null;
  }

  /**
   * The label signature checked against the product manufacturer's key named by `kid` (any of its keys,
   * active or retired by rotation, but not one whose revocation reason says it was compromised): labels
   * already on the market stay genuine when a manufacturer rotates its key.
   * Signed over the scanned identifiers, the expiry as YYMMDD; a scan without lot or expiry cannot match.
   */
  private async labelSignature(manager: EntityManager, scanned: PackIdentifiers, manufacturerId: string, label: PackLinkSignature | null): Promise<LabelSignatureStatus> {
    if (label === null) return 'absent';
    if (scanned.lot === null || scanned.expiry === null) return 'invalid';
    const [key]: Array<{ public_key: string; revoked_reason: string | null }> = await manager.query(
      `SELECT public_key, revoked_reason FROM participant_keys WHERE kid = $1 AND participant_id = $2`,
      [label.kid, manufacturerId],
    );
    if (!key || (key.revoked_reason !== null && /compromis/i.test(key.revoked_reason))) return 'invalid';
    const fields = { gtin: scanned.gtin, lot: scanned.lot, serial: scanned.serial, expiry: isoToGs1Date(scanned.expiry), kid: label.kid };
    return verifyPackLabel(fields, label.signature, fromBase64Url(key.public_key), this.signatures) ? 'valid' : 'invalid';
  }
}
