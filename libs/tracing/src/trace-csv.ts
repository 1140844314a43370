// Tracing reports as CSV (RFC 4180, quoted by csv-stringify): what a regulator opens in a spreadsheet.
// Framework-free, so the server (traceForwardCsv) and the CLI write the same columns.
import { stringify } from 'csv-stringify/sync';
import { BackwardTrace, ForwardTracePage, PROGRESS_BUCKETS, RecallProgress } from './trace-views';

type Cell = string | number | null;

/** C0 and C1 control characters (DEL included) and the bidirectional embedding, override and isolate controls. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** What makes a spreadsheet read a cell as a formula (OWASP "CSV Injection"): =, +, -, @, TAB, CR first. */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/**
 * One text cell as a spreadsheet may open it safely: a cell starting with =, +, -, @, TAB or CR gets a leading
 * `'` (shown as text, never evaluated), and control characters and bidi controls (which could hide or reorder
 * what a reader sees) become U+FFFD. Every CSV this module writes passes each text cell through here.
 */
export function safeCsvText(value: string): string {
  return (FORMULA_TRIGGER.test(value) ? `'${value}` : value).replace(UNSAFE_CHARACTERS, '\uFFFD');
}

function csv(columns: readonly string[], rows: Cell[][], header: boolean): string {
  return stringify(rows, { header, columns: [...columns], cast: { number: (n) => String(n), string: (value) => safeCsvText(value) } });
}

/** Characters JSON.stringify leaves raw that a terminal may act on: DEL, C1 controls (e.g. CSI), U+2028/9 and bidi controls. */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text that is safe to print to a terminal: JSON.stringify escapes C0 controls itself; this escapes the
 * rest of UNSAFE_CHARACTERS (and the line separators) as \uXXXX too, so a participant named with escape
 * sequences or bidi overrides neither drives the terminal nor reorders the line. Parsing it gives the same value.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
