// The QR codes of the demo's packs: Helix signs each label with its own key (on its side, as a label
// printer at the line would) and the demo prints the signed GS1 Digital Links, with a QR code in the
// terminal, for a patient's phone: a genuine pen, a quarantined one, a recalled one and a dispensed one.
import QRCode from 'qrcode';
import { formatPackDigitalLink, isoToGs1Date } from '@pharmatrace/gs1';
import { fromBase64Url, signPackLabel } from '@pharmatrace/ledger-core';
import { DEMO_PARTICIPANTS, keyFor } from './demo-network';
import { DEMO_GTIN, DEMO_LOT, type DemoCustody } from './demo-custody';
import type { DemoDispensing } from './demo-dispensing';
import { DEMO_RECALL_LOT, type DemoRecall } from './demo-recall';

/** One demo pack to show: its GS1 identifiers and what the page should say about it. */
export interface DemoPackToShow {
  /** What the patient should see, e.g. "genuine", "dispensed". */
  label: string;
  gtin: string;
  lot: string;
  serial: string;
  /** YYYY-MM-DD */
  expiresOn: string;
}

export type DemoPackState = 'genuine' | 'quarantined' | 'recalled' | 'dispensed';

/** The four packs the demo shows a patient, from what the seeding did. */
export function demoPacksToShow(custody: DemoCustody, rx: DemoDispensing, recall: DemoRecall): Array<DemoPackToShow & { state: DemoPackState }> {
  const serialOf = (packId: string) => packId.slice(`sgtin:${DEMO_GTIN}.`.length);
  const first = { gtin: DEMO_GTIN, lot: DEMO_LOT, expiresOn: custody.expiresOn };
  return [
    { state: 'genuine', label: 'a genuine pen at Central Square Pharmacy', ...first, serial: serialOf(custody.pharmacyPack) },
    { state: 'quarantined', label: 'a pen quarantined after the cold-chain excursion on its way to Harbour Road', ...first, serial: serialOf(custody.quarantinedPack) },
    { state: 'recalled', label: `a recalled pen (lot ${DEMO_RECALL_LOT})`, gtin: DEMO_GTIN, lot: DEMO_RECALL_LOT, expiresOn: recall.expiresOn, serial: serialOf(recall.packsAtManufacturer[0]) },
    { state: 'dispensed', label: 'a pen already dispensed to a patient', ...first, serial: serialOf(rx.dispensedPack) },
  ];
}

/** Signs each pack's label with Helix's key and adds its signed GS1 Digital Link (on `publicBaseUrl`) as `link`. */
export function demoPackLinks<P extends DemoPackToShow>(publicBaseUrl: string, keysDir: string, packs: readonly P[]): Array<P & { link: string }> {
  const key = keyFor(keysDir, DEMO_PARTICIPANTS.find((p) => p.id === 'demo-manufacturer')!);
  const secretKey = fromBase64Url(key.secretKey);
  return packs.map((p) => {
    const signature = signPackLabel({ gtin: p.gtin, lot: p.lot, serial: p.serial, expiry: isoToGs1Date(p.expiresOn), kid: key.kid }, secretKey);
    return { ...p, link: formatPackDigitalLink(publicBaseUrl, { gtin: p.gtin, lot: p.lot, serial: p.serial, expiresOn: p.expiresOn }, { signature, kid: key.kid }) };
  });
}

/** The link's QR code drawn with terminal block characters (two modules a character cell). */
export async function terminalQr(link: string): Promise<string> {
  return QRCode.toString(link, { type: 'terminal', small: true, errorCorrectionLevel: 'L' });
}
