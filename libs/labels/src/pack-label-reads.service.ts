// Reading registered labels for printing: one pack's label, or a batch's labels in keyset pages for the
// streamed sheet. Labels are shown to the product's manufacturer only — a genuine signed code is what a
// counterfeiter wants — and anyone else is answered exactly as if there were none (UNKNOWN_LABEL,
// UNKNOWN_BATCH), as docs/access-model.md asks of hidden objects.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Viewer } from '@pharmatrace/access';
import { DomainError } from '@pharmatrace/errors';
import { normalizeGtin, SERIAL_PATTERN } from '@pharmatrace/gs1';
import type { LabelContent } from './label-render';
import type { SheetHeading } from './label-sheet';
import { unknownBatch, unknownLabel } from './label-errors';

/** Labels read a keyset page for the sheet: ~1,000 rows (~0.3 MB) in memory at a time. */
export const SHEET_PAGE_SIZE = 1000;

/** A batch's sheet: its heading (with the label count) and its labels in serial order, a page at a time. */
export interface LabelSheetSource {
  heading: SheetHeading;
  pages: AsyncGenerator<LabelContent[]>;
}

/** A page of a batch's commissioned serials (batchSerials). */
export interface BatchSerialsPage {
  gtin: string;
  lot: string;
  /** YYYY-MM-DD */
  expiresOn: string;
  /** Packs commissioned into the batch. */
  commissioned: number;
  /** Packs of the batch with a registered label. */
  labelled: number;
  serials: string[];
  /** The last serial of this page, for `after`; null on an empty page. */
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Most keys labelKeys lists (a manufacturer's operators and terminals: a handful). */
export const MAX_LABEL_KEYS = 50;

/** A manufacturer key as an offline verifier needs it. */
export interface LabelKey {
  /** ed25519:<32 hex> */
  kid: string;
  /** base64url raw 32-byte Ed25519 public key */
  publicKey: string;
  /** active or revoked */
  status: string;
  /** false when the key was revoked as compromised: no label it signed is genuine */
  validForLabels: boolean;
}

export interface LabelKeySet {
  gtin: string;
  manufacturerId: string;
  manufacturerName: string;
  keys: LabelKey[];
}

interface LabelRow {
  serial: string;
  lot: string;
  kid: string;
  signature: string;
  expires_on: string;
}

@Injectable()
export class PackLabelReads {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether `viewer` may print labels of the product `gtin`: only its manufacturer may. */
  private async mayPrint(viewer: Viewer, gtin: string): Promise<boolean> {
    if (viewer.role !== 'manufacturer') return false;
    const [row]: Array<{ manufacturer_id: string }> = await this.dataSource.query('SELECT manufacturer_id FROM products WHERE gtin = $1', [gtin]);
    return row?.manufacturer_id === viewer.participantId;
  }

  /** One pack's label; UNKNOWN_LABEL when there is none or the viewer may not print it. */
  async label(viewer: Viewer, gtinInput: string, serial: string): Promise<LabelContent> {
    const gtin = normalizeGtin(gtinInput);
    if (gtin === null || !SERIAL_PATTERN.test(serial) || !(await this.mayPrint(viewer, gtin))) throw unknownLabel(gtinInput, serial);
    const [row]: LabelRow[] = await this.dataSource.query(
      `SELECT l.serial, l.lot, l.kid, l.signature, to_char(b.expires_on, 'YYYY-MM-DD') AS expires_on
         FROM pack_labels l JOIN batches b ON b.gtin = l.gtin AND b.lot = l.lot
        WHERE l.gtin = $1 AND l.serial = $2`,
      [gtin, serial],
    );
    if (!row) throw unknownLabel(gtin, serial);
    return toContent(gtin, row);
  }

  /**
   * The batch's sheet source. UNKNOWN_BATCH when the batch does not exist or the viewer may not print it;
   * NO_LABELS when none of its packs has a registered label yet. Pages are read lazily, each after the
   * previous one was consumed (`serial > last`, on the pack_labels_batch index).
   */
  async sheet(viewer: Viewer, gtinInput: string, lot: string): Promise<LabelSheetSource> {
    const gtin = normalizeGtin(gtinInput);
    if (gtin === null || !SERIAL_PATTERN.test(lot) || !(await this.mayPrint(viewer, gtin))) throw unknownBatch(gtinInput, lot);
    const [batch]: Array<{ expires_on: string }> = await this.dataSource.query(
      `SELECT to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM batches WHERE gtin = $1 AND lot = $2`,
      [gtin, lot],
    );
    if (!batch) throw unknownBatch(gtin, lot);
    const [{ n }]: Array<{ n: string }> = await this.dataSource.query('SELECT count(*) AS n FROM pack_labels WHERE gtin = $1 AND lot = $2', [gtin, lot]);
    const total = Number(n);
    if (total === 0) {
      throw new DomainError('NO_LABELS', `Batch ${gtin} / ${lot} has no registered labels yet; sign and register them first (labels sign --gtin ${gtin} --lot ${lot}).`, { gtin, lot });
    }
    return { heading: { gtin, lot, expiresOn: batch.expires_on, total }, pages: this.pages(gtin, lot, batch.expires_on) };
  }

  /**
   * A page of the serials commissioned into a batch, in serial order, for signing their labels: `first`
   * 1–1000 after the serial `after`. The product's manufacturer only (UNKNOWN_BATCH for anyone else, as
   * for a missing batch). `labelled` counts the batch's packs that already have a label.
   */
  async batchSerials(viewer: Viewer, gtinInput: string, lot: string, first: number, after: string | null): Promise<BatchSerialsPage> {
    if (!Number.isInteger(first) || first < 1 || first > SHEET_PAGE_SIZE) {
      throw new DomainError('BAD_REQUEST', `first must be 1–${SHEET_PAGE_SIZE}, not ${first}; page through the rest with after.`);
    }
    const gtin = normalizeGtin(gtinInput);
    if (gtin === null || !SERIAL_PATTERN.test(lot) || !(await this.mayPrint(viewer, gtin))) throw unknownBatch(gtinInput, lot);
    const [batch]: Array<{ id: string; expires_on: string; commissioned: number }> = await this.dataSource.query(
      `SELECT id, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, commissioned FROM batches WHERE gtin = $1 AND lot = $2`,
      [gtin, lot],
    );
    if (!batch) throw unknownBatch(gtin, lot);
    const rows: Array<{ serial: string }> = await this.dataSource.query(
      `SELECT serial FROM custody_items WHERE batch_id = $1 AND kind = 'pack' AND serial > $2 ORDER BY serial LIMIT $3`,
      [batch.id, after ?? '', first + 1],
    );
    const [{ n }]: Array<{ n: string }> = await this.dataSource.query('SELECT count(*) AS n FROM pack_labels WHERE gtin = $1 AND lot = $2', [gtin, lot]);
    const serials = rows.slice(0, first).map((r) => r.serial);
    return {
      gtin,
      lot,
      expiresOn: batch.expires_on,
      commissioned: batch.commissioned,
      labelled: Number(n),
      serials,
      endCursor: serials.length ? serials[serials.length - 1] : null,
      hasNextPage: rows.length > first,
    };
  }

  /**
   * The public keys an app needs to verify a product's labels offline: every key of the product's
   * manufacturer, with `validForLabels` false for one revoked as compromised (labels signed by a key
   * retired in a rotation stay genuine; PackVerifier applies the same rule). Null for an unknown GTIN.
   * Public, like ledger keys and verification answers (DESIGN.md "Who may read what").
   */
  async labelKeys(gtinInput: string): Promise<LabelKeySet | null> {
    const gtin = normalizeGtin(gtinInput);
    if (gtin === null) return null;
    const rows: Array<{ manufacturer_id: string; legal_name: string; kid: string; public_key: string; status: string; revoked_reason: string | null }> = await this.dataSource.query(
      `SELECT p.manufacturer_id, m.legal_name, k.kid, k.public_key, k.status, k.revoked_reason
         FROM products p JOIN participants m ON m.id = p.manufacturer_id JOIN participant_keys k ON k.participant_id = p.manufacturer_id
        WHERE p.gtin = $1 ORDER BY k.added_seq LIMIT ${MAX_LABEL_KEYS}`,
      [gtin],
    );
    if (rows.length === 0) return null;
    return {
      gtin,
      manufacturerId: rows[0].manufacturer_id,
      manufacturerName: rows[0].legal_name,
      keys: rows.map((r) => ({ kid: r.kid, publicKey: r.public_key, status: r.status, validForLabels: !(r.revoked_reason !== null && /compromis/i.test(r.revoked_reason)) })),
    };
  }

  private async *pages(gtin: string, lot: string, expiresOn: string): AsyncGenerator<LabelContent[]> {
    let after = '';
    for (;;) {
      const rows: Array<Omit<LabelRow, 'expires_on'>> = await this.dataSource.query(
        'SELECT serial, lot, kid, signature FROM pack_labels WHERE gtin = $1 AND lot = $2 AND serial > $3 ORDER BY serial LIMIT $4',
        [gtin, lot, after, SHEET_PAGE_SIZE],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => toContent(gtin, { ...r, expires_on: expiresOn }));
      if (rows.length < SHEET_PAGE_SIZE) return;
      after = rows[rows.length - 1].serial;
    }
  }
}

function toContent(gtin: string, row: LabelRow): LabelContent {
  return { gtin, lot: row.lot, serial: row.serial, expiresOn: row.expires_on, signature: { signature: row.signature, kid: row.kid } };
}
