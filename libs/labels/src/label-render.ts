// One pack's label (docs/pack-labels.md): the QR code of its signed GS1 Digital Link, drawn by the
// `qrcode` package, and the human-readable lines under it, as EU FMD (Delegated Regulation (EU) 2016/161,
// art. 7: product code, serial number, batch, expiry) and DSCSA packs print them. Nest-free.
import * as QRCode from 'qrcode';
import { formatPackDigitalLink, type PackLinkFields, type PackLinkSignature } from '@pharmatrace/gs1';

/**
 * QR error correction level M (~15% of the symbol recoverable). The signed link is ~210 characters: at M
 * it fits QR version 10 (57×57 modules), at Q version 12–13 (65–69). On a small carton the larger symbol
 * would mean ~15–20% smaller modules at the same printed size, which hurts a phone camera more than the
 * extra redundancy helps. Pharmaceutical cartons are printed on clean, flat board, where M's margin is enough.
 */
export const LABEL_ERROR_CORRECTION = 'M' as const;
/** White modules around the symbol: the 4-module quiet zone ISO/IEC 18004 requires. */
export const LABEL_QUIET_ZONE = 4;

/** What one label shows: the pack's identifiers, expiry as YYYY-MM-DD, and its label signature. */
export interface LabelContent extends PackLinkFields {
  signature: PackLinkSignature;
}

/** The signed Digital Link a label's QR code holds (`<base>/01/…/21/…?17=YYMMDD&sig=…&kid=…`). */
export function labelLink(baseUrl: string, label: LabelContent): string {
  return formatPackDigitalLink(baseUrl, label, label.signature);
}

/** The human-readable lines under the code, in print order: `GTIN …`, `SN …`, `LOT …`, `EXP YYYY-MM-DD`. */
export function labelLines(label: LabelContent): string[] {
  return [`GTIN ${label.gtin.padStart(14, '0')}`, `SN ${label.serial}`, `LOT ${label.lot}`, `EXP ${label.expiresOn}`];
}

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Layout of the SVG label in user units (1 unit = 1 px at 96 dpi; 200 units ≈ 53 mm). */
const QR_SIZE = 200;
const LINE_HEIGHT = 18;
const FONT_SIZE = 14;
const TEXT_LEFT = 12;

/**
 * The label as one standalone SVG document: the QR code (quiet zone included) on top, the four lines
 * under it in a monospace font. `title` makes it read as "PharmaTrace pack label <GTIN> <serial>".
 */
export async function renderLabelSvg(baseUrl: string, label: LabelContent): Promise<string> {
  const qr = await QRCode.toString(labelLink(baseUrl, label), { type: 'svg', errorCorrectionLevel: LABEL_ERROR_CORRECTION, margin: LABEL_QUIET_ZONE });
  const lines = labelLines(label);
  const height = QR_SIZE + lines.length * LINE_HEIGHT + 8;
  // The qrcode SVG is nested as is, sized by the outer label (its own viewBox scales it).
  const nested = qr.replace(/^<svg /, `<svg x="0" y="0" width="${QR_SIZE}" height="${QR_SIZE}" `).trim();
  const text = lines
    .map((line, i) => `<text x="${TEXT_LEFT}" y="${QR_SIZE + (i + 1) * LINE_HEIGHT - 4}">${escapeXml(line)}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="pack-label" width="${QR_SIZE}" height="${height}" viewBox="0 0 ${QR_SIZE} ${height}">` +
    `<title>PharmaTrace pack label ${escapeXml(`${label.gtin} ${label.serial}`)}</title>` +
    `<rect width="${QR_SIZE}" height="${height}" fill="#ffffff"/>${nested}` +
    `<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="${FONT_SIZE}" fill="#000000">${text}</g></svg>`
  );
}

/**
 * The QR code alone as a PNG (8 px per module, quiet zone included; ~520 px square for a version 10
 * symbol, i.e. 300 dpi at ~44 mm): for print workflows whose label software sets the text lines itself
 * from `labelLines`. The SVG label carries code and text together.
 */
export async function renderLabelPng(baseUrl: string, label: LabelContent, scale = 8): Promise<Buffer> {
  return QRCode.toBuffer(labelLink(baseUrl, label), { type: 'png', errorCorrectionLevel: LABEL_ERROR_CORRECTION, margin: LABEL_QUIET_ZONE, scale });
}
