// Registering the manufacturer's label signatures (docs/pack-labels.md). The server never holds a
// manufacturer's private key: signatures are made client-side (SDK/CLI) and checked here against the
// manufacturer's registered key before they are stored, so a sheet only ever prints genuine codes.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '@pharmatrace/access';
import { DomainError } from '@pharmatrace/errors';
import { gtin14Problem, normalizeGtin, SERIAL_PATTERN } from '@pharmatrace/gs1';
import { fromBase64Url, verifyPackLabel } from '@pharmatrace/ledger-core';
import { NodeCryptoVerifier } from '@pharmatrace/ledger-core/node-crypto-verifier';
import { LabelProblem, labelsRejected, MAX_LABELS_PER_CALL } from './label-errors';

/** One pack's label signature as the client computed it: base64url Ed25519 (86 characters). */
export interface LabelSignatureItem {
  serial: string;
  signature: string;
}

/** What one registration did: new labels, identical re-registrations, and labels replaced by a new signature. */
export interface LabelRegistration {
  gtin: string;
  lot: string;
  /** The batch's expiry, YYYY-MM-DD (signed as YYMMDD). */
  expiresOn: string;
  kid: string;
  registered: number;
  unchanged: number;
  replaced: number;
}

interface BatchRow {
  id: string;
  manufacturer_id: string;
  expires_on: string;
}

/**
 * Registers label signatures for packs of one batch, atomically: all are stored or none.
 *
 * Refusals of the whole call: FORBIDDEN_ROLE (not a manufacturer), INVALID_GTIN, INVALID_LOT,
 * LABELS_TOO_MANY (0 or over 10,000 items), UNKNOWN_PRODUCT, NOT_PRODUCT_OWNER, UNKNOWN_BATCH,
 * UNKNOWN_KEY (the kid is not one of the caller's keys), KEY_REVOKED. Refusals of items, all reported at
 * once in LABELS_REJECTED's details.errors ({index, serial, code, message}): INVALID_SERIAL,
 * LABEL_DUPLICATE_SERIAL, LABEL_PACK_NOT_IN_LOT (not a pack commissioned into this batch),
 * LABEL_SIGNATURE_INVALID (not the key's signature over {exp, gtin, kid, lot, ser}).
 *
 * Re-registering a pack's stored signature changes nothing (`unchanged`). A different valid signature by
 * an active key of the manufacturer replaces it (`replaced`): a reprint after a key rotation signs with
 * the new key, and the sheet then prints the new code. Packs already on the market keep verifying with
 * the old code as long as its key is not revoked as compromised (PackVerifier checks any such key).
 */
@Injectable()
export class PackLabelsService {
  private readonly verifier = new NodeCryptoVerifier();

  constructor(private readonly dataSource: DataSource) {}

  async registerPackLabels(caller: Viewer, gtinInput: string, lot: string, kid: string, items: LabelSignatureItem[]): Promise<LabelRegistration> {
    if (caller.role !== 'manufacturer') throw new DomainError('FORBIDDEN_ROLE', `Labels are registered by the product's manufacturer; you are signed in as a ${caller.role}.`);
    const gtin = normalizeGtin(gtinInput);
    if (gtin === null) throw new DomainError('INVALID_GTIN', gtin14Problem(gtinInput) ?? `${gtinInput} is not a valid GTIN.`);
    if (!SERIAL_PATTERN.test(lot)) throw new DomainError('INVALID_LOT', `The lot "${lot}" is not 1–20 characters of the GS1 character set 82; use the lot as registered on the batch.`);
    if (items.length === 0 || items.length > MAX_LABELS_PER_CALL) {
      throw new DomainError('LABELS_TOO_MANY', `One registration holds 1 to ${MAX_LABELS_PER_CALL} labels, not ${items.length}; split the batch into several calls (the SDK does).`, {
        max: MAX_LABELS_PER_CALL,
      });
    }
    return this.dataSource.transaction(async (m) => {
      const batch = await this.batchOf(m, caller, gtin, lot);
      const publicKey = await this.keyOf(m, caller, kid);
      const expiry = `${batch.expires_on.slice(2, 4)}${batch.expires_on.slice(5, 7)}${batch.expires_on.slice(8, 10)}`;
      const problems: LabelProblem[] = [];
      const seen = new Set<string>();
      const wellFormed: string[] = [];
      items.forEach((item, index) => {
        if (typeof item.serial !== 'string' || !SERIAL_PATTERN.test(item.serial)) {
          problems.push({ index, serial: String(item.serial), code: 'INVALID_SERIAL', message: 'The serial is not 1–20 characters of the GS1 character set 82 (AI 21).' });
        } else if (seen.has(item.serial)) {
          problems.push({ index, serial: item.serial, code: 'LABEL_DUPLICATE_SERIAL', message: `Serial ${item.serial} appears more than once in this registration; send each pack once.` });
        } else {
          seen.add(item.serial);
          wellFormed.push(item.serial);
        }
      });
      const commissioned = await this.commissionedSerials(m, batch.id, wellFormed);
      const malformed = new Set(problems.map((p) => p.index));
      items.forEach((item, index) => {
        if (malformed.has(index)) return;
        if (!commissioned.has(item.serial)) {
          problems.push({ index, serial: item.serial, code: 'LABEL_PACK_NOT_IN_LOT', message: `No pack with serial ${item.serial} was commissioned into batch ${gtin} / ${lot}; commission it first or check the lot.` });
        } else if (!verifyPackLabel({ gtin, lot, serial: item.serial, expiry, kid }, item.signature, publicKey, this.verifier)) {
          problems.push({
            index,
            serial: item.serial,
            code: 'LABEL_SIGNATURE_INVALID',
            message: `The signature of serial ${item.serial} is not ${kid}'s signature over {exp: ${expiry}, gtin, kid, lot, ser} (docs/pack-labels.md); sign it again with that key.`,
          });
        }
      });
      if (problems.length > 0) throw labelsRejected(problems.sort((a, b) => a.index - b.index));
      return { gtin, lot, expiresOn: batch.expires_on, kid, ...(await this.store(m, caller, gtin, lot, expiry, kid, items)) };
    });
  }

  private async batchOf(m: EntityManager, caller: Viewer, gtin: string, lot: string): Promise<BatchRow> {
    const [product]: Array<{ manufacturer_id: string }> = await m.query('SELECT manufacturer_id FROM products WHERE gtin = $1', [gtin]);
    if (!product) throw new DomainError('UNKNOWN_PRODUCT', `No product with GTIN ${gtin} is registered; register it first (product register).`, { gtin });
    if (product.manufacturer_id !== caller.participantId) {
      throw new DomainError('NOT_PRODUCT_OWNER', `Product ${gtin} belongs to another manufacturer; only its manufacturer registers its labels.`, { gtin });
    }
    // Locked so that two registrations for one batch apply one after the other.
    const [batch]: BatchRow[] = await m.query(
      `SELECT id, manufacturer_id, to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM batches WHERE gtin = $1 AND lot = $2 FOR UPDATE`,
      [gtin, lot],
    );
    if (!batch) throw new DomainError('UNKNOWN_BATCH', `No batch with GTIN ${gtin} and lot ${lot} is registered; register the batch and commission its packs first.`, { gtin, lot });
    return batch;
  }

  private async keyOf(m: EntityManager, caller: Viewer, kid: string): Promise<Uint8Array> {
    const [key]: Array<{ public_key: string; status: string }> = await m.query('SELECT public_key, status FROM participant_keys WHERE kid = $1 AND participant_id = $2', [
      kid,
      caller.participantId,
    ]);
    if (!key) throw new DomainError('UNKNOWN_KEY', `${kid} is not one of your registered keys; sign with your own key (its kid is in your key file).`, { kid });
    if (key.status !== 'active') throw new DomainError('KEY_REVOKED', `${kid} was revoked and can no longer sign labels; sign with one of your active keys.`, { kid });
    return fromBase64Url(key.public_key);
  }

  private async commissionedSerials(m: EntityManager, batchId: string, serials: string[]): Promise<Set<string>> {
    if (serials.length === 0) return new Set();
    const rows: Array<{ serial: string }> = await m.query(`SELECT serial FROM custody_items WHERE batch_id = $1 AND kind = 'pack' AND serial = ANY($2::text[])`, [batchId, serials]);
    return new Set(rows.map((r) => r.serial));
  }

  private async store(m: EntityManager, caller: Viewer, gtin: string, lot: string, expiry: string, kid: string, items: LabelSignatureItem[]) {
    const serials = items.map((i) => i.serial);
    const existing: Array<{ serial: string; signature: string }> = await m.query('SELECT serial, signature FROM pack_labels WHERE gtin = $1 AND serial = ANY($2::text[]) FOR UPDATE', [
      gtin,
      serials,
    ]);
    const before = new Map(existing.map((r) => [r.serial, r.signature]));
    const changed = items.filter((i) => before.get(i.serial) !== i.signature);
    const replaced = changed.filter((i) => before.has(i.serial)).length;
    if (changed.length > 0) {
      await m.query(
        `INSERT INTO pack_labels (gtin, serial, lot, expiry, kid, signature, manufacturer_id)
         SELECT $1, s.serial, $2, $3, $4, s.signature, $5 FROM unnest($6::text[], $7::text[]) AS s(serial, signature)
         ON CONFLICT (gtin, serial) DO UPDATE SET lot = EXCLUDED.lot, expiry = EXCLUDED.expiry, kid = EXCLUDED.kid, signature = EXCLUDED.signature,
           manufacturer_id = EXCLUDED.manufacturer_id, registered_at = now()`,
        [gtin, lot, expiry, kid, caller.participantId, changed.map((i) => i.serial), changed.map((i) => i.signature)],
      );
    }
    return { registered: changed.length - replaced, unchanged: items.length - changed.length, replaced };
  }
}
