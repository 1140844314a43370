// Tracing reports as CSV (RFC 4180, quoted by csv-stringify): what a regulator opens in a spreadsheet.
// Framework-free, so the server (traceForwardCsv) and the CLI write the same columns.
import { stringify } from 'csv-stringify/sync';
import { BackwardTrace, ForwardTracePage, PROGRESS_BUCKETS, RecallProgress } from './trace-views';

type Cell = string | number | null;

function csv(columns: readonly string[], rows: Cell[][], header: boolean): string {
  return stringify(rows, { header, columns: [...columns], cast: { number: (n) => String(n) } });
}

/** One row per pack: where it is, and to whom it was supplied (patient pseudonym only). */
export const FORWARD_CSV_COLUMNS = [
  'pack', 'batch', 'gtin', 'lot', 'state', 'custodian_id', 'custodian_name', 'custodian_gln', 'container', 'outermost_container',
  'shipment', 'shipment_from', 'shipment_to', 'shipped_at', 'dispensed_by', 'pharmacy_name', 'pharmacy_gln', 'dispensed_at',
  'prescription', 'patient_pseudonym',
] as const;

/** A forward-trace page as CSV rows; the header only when `header` (the first page). */
export function forwardTraceCsv(page: Pick<ForwardTracePage, 'packs' | 'dispenses'>, header: boolean): string {
  const dispenses = new Map(page.dispenses.map((d) => [d.packId, d]));
  const rows = page.packs.map((p): Cell[] => {
    const d = dispenses.get(p.id);
    return [
      p.id, p.batchId, p.gtin, p.lot, p.state, p.custodianId, p.custodianName, p.custodianGln, p.containerId, p.outermostContainerId,
      p.shipmentId, p.shipmentFromId, p.shipmentToId, p.shippedAt,
      d?.pharmacyId ?? null, d?.pharmacyName ?? null, d?.pharmacyGln ?? null, d?.dispensedAt ?? null, d?.prescriptionId ?? null, d?.patientPseudonym ?? null,
    ];
  });
  return csv(FORWARD_CSV_COLUMNS, rows, header);
}

/**
 * A backward trace in long form, one row per fact: `batch`, each `ingredient_lot` (supplier, certificate),
 * each `custodian` period, each `shipment`, each `temperature` verdict.
 */
export const BACKWARD_CSV_COLUMNS = ['section', 'pack', 'subject', 'participant_id', 'participant_name', 'participant_gln', 'from', 'until', 'detail'] as const;

export function backwardTraceCsv(t: BackwardTrace): string {
  const b = t.batch;
  const rows: Cell[][] = [
    ['batch', t.packId, b.id, b.manufacturerId, b.manufacturerName, b.manufacturerGln, b.manufacturedOn, b.expiresOn, `${b.productName}; lot ${b.lot}; state ${t.state ?? 'not visible'}`],
  ];
  for (const l of t.ingredientLots) {
    const c = l.certificate;
    const detail = c ? `${l.material}; certificate ${c.sha256} by ${c.issuer}, origin ${c.countryOfOrigin}, issued ${c.issuedOn}` : `${l.material}; no certificate`;
    rows.push(['ingredient_lot', t.packId, l.id, l.supplierId, l.supplierName, l.supplierGln, c?.issuedOn ?? null, null, detail]);
  }
  for (const c of t.custodians) rows.push(['custodian', t.packId, c.arrivedBy, c.participantId, c.name, c.gln, c.since, c.until, c.arrivedBy ? `arrived by ${c.arrivedBy}` : 'commissioned']);
  for (const s of t.shipments) rows.push(['shipment', t.packId, s.id, s.toId, null, null, s.shippedAt, s.closedAt, `${s.state}; from ${s.fromId}; via ${s.via}`]);
  for (const v of t.temperatureVerdicts) {
    rows.push(['temperature', t.packId, v.subject, null, null, null, v.evaluatedAt, null, `${v.verdict}; ${v.minutesOutOfRange} min out of range; worst ${v.worstC ?? '-'} °C; MKT ${v.mktC ?? '-'} °C`]);
  }
  return csv(BACKWARD_CSV_COLUMNS, rows, true);
}

/** Recall progress: one row per custodian line (and the aggregated "elsewhere"), then the totals. */
export const PROGRESS_CSV_COLUMNS = ['participant_id', 'name', 'gln', ...PROGRESS_BUCKETS, 'total'] as const;

export function recallProgressCsv(p: RecallProgress): string {
  const rows: Cell[][] = p.byCustodian.map((c) => [c.participantId, c.name, c.gln, ...PROGRESS_BUCKETS.map((b) => c[b]), c.total]);
  rows.push(['TOTAL', p.recallId, null, ...PROGRESS_BUCKETS.map((b) => p.totals[b]), p.totals.total]);
  return csv(PROGRESS_CSV_COLUMNS, rows, true);
}
