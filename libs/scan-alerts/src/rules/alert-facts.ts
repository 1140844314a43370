// What the clone rules judge (framework-free: no Nest, no database): one public scan, the serial's earlier scans
// (bounded by the caller: the latest MAX_EARLIER_SCANS), and what the chain says of the pack.
// The rules follow the EMVS alert model (EMVO "Guidance on alert handling", alert levels L5: A7 unknown serial,
// A24 pack already inactive), adapted to public scans: a serial seen where one pack cannot be is a copy.

/** The alert kinds, each a rule in this folder named after it. */
export const ALERT_KINDS = ['REGIONS_WITHIN_WINDOW', 'TOO_MANY_DEVICES', 'UNKNOWN_SERIAL', 'INACTIVE_PACK_DECOMMISSIONED'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The life cycle: new → under_investigation → closed (or new → closed); closed is final. */
export const ALERT_STATUSES = ['new', 'under_investigation', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** How many earlier scans of one serial the rules see at most (the newest ones). */
export const MAX_EARLIER_SCANS = 500;
/** How many scan ids an alert's evidence lists at most (the counts are always complete within the bound above). */
export const MAX_EVIDENCE_IDS = 20;

/** A recorded scan, as coarse as pack_scans keeps it: no IP address, no person. */
export interface ScanFact {
  id: string;
  scannedAt: Date;
  /** ISO 3166 code (`DE`, `DE-BY`) or IANA time zone, as the client gave it; null when it gave none. */
  region: string | null;
  /** The random id the page keeps in local storage; null until the page attached it. */
  deviceId: string | null;
}

/** What the chain says about the scanned serial. */
export type PackFacts =
  /** The GTIN is no registered product: nobody to alert (the verdict already says UNKNOWN_PRODUCT). */
  | { kind: 'unknown_product' }
  /** The GTIN is registered to `manufacturerId` but this serial was never commissioned (EMVS A7). */
  | { kind: 'unknown_serial'; manufacturerId: string }
  | {
      kind: 'pack';
      manufacturerId: string;
      lot: string | null;
      /** custody_items.state */
      state: string;
      /** When it left the supply chain (supplied, or decommissioned inactive); null while it is active. */
      inactiveSince: Date | null;
    };

export interface CloneSettings {
  /** config.cloneDetection.regionWindowMinutes */
  regionWindowMinutes: number;
  /** config.cloneDetection.maxDevices */
  maxDevices: number;
}

/** An alert a rule raises (or, when one is open for the same serial and kind, the evidence it now has). */
export interface AlertDraft {
  kind: AlertKind;
  /**
   * true: a copy of a genuine code is suspected (the verdict says SUSPECTED_CLONE once the manufacturer or a regulator
   * takes the alert up, status under_investigation — not while it is new); false: a falsified code.
   */
  cloneSuspected: boolean;
  evidence: Record<string, unknown>;
}

/** Scans at or after `since` (all of them when null), oldest first. */
export function scansSince(scans: readonly ScanFact[], since: Date | null): ScanFact[] {
  return scans.filter((s) => since === null || s.scannedAt.getTime() >= since.getTime()).sort((a, b) => a.scannedAt.getTime() - b.scannedAt.getTime());
}

/** The newest MAX_EVIDENCE_IDS scan ids, oldest first. */
export function evidenceIds(scans: readonly ScanFact[]): string[] {
  return scans.slice(-MAX_EVIDENCE_IDS).map((s) => s.id);
}
