// Prescriptions: what each prescription holds as its events leave it — issued (every pack of every fill
// remaining, active), cancelled, counted down by each supply (exhausted at 0) and back up by the undo of a
// supply (an exhausted one is active again) — compared at the end with the stored prescriptions. Mirrors
// the apply() of libs/prescriptions/src/rules/prescription.rules.ts and libs/dispensing/src/rules/*.ts.
import { PrescriptionEventTypes, totalPacks } from '@pharmatrace/prescriptions/prescription-events';
import { DispensingEventTypes } from '@pharmatrace/dispensing/dispensing-events';
import { AuditFailure, eventFailure } from '../audit-failure';
import type { ReplayedEvent, StateProjection } from '../audit-source';

export interface StoredPrescription {
  id: string;
  prescriberId: string;
  patient: string;
  quantity: number;
  refills: number;
  remaining: number;
  controlledClass: string;
  state: string;
  issuedSeq: number;
  updatedSeq: number;
}

export interface PrescriptionStateReader {
  /** Every stored prescription. */
  read(): Promise<StoredPrescription[]>;
}

export type ReplayedPrescription = StoredPrescription;

type Data = Record<string, unknown>;
const str = (d: Data, k: string): string | null => (typeof d[k] === 'string' ? (d[k] as string) : null);
const int = (d: Data, k: string): number | null => (Number.isInteger(d[k]) ? (d[k] as number) : null);
const packsOf = (d: Data): string[] | null => (Array.isArray(d.packs) && d.packs.every((p) => typeof p === 'string') ? (d.packs as string[]) : null);

const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : String(v));

export class PrescriptionsProjection implements StateProjection {
  readonly name = 'prescriptions';
  readonly prescriptions = new Map<string, ReplayedPrescription>();
  /** Supplies by event hash: the prescription an undo gives its packs back to. */
  private readonly supplies = new Map<string, string>();

  constructor(private readonly stored?: PrescriptionStateReader) {}

  apply({ event, seq, hash }: ReplayedEvent): AuditFailure | null {
    const d = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Data;
    const refuse = (why: string): AuditFailure => eventFailure('EVENT_NOT_APPLICABLE', seq, hash, `the prescription rules would have refused it: ${why}.`);
    switch (event.type) {
      case PrescriptionEventTypes.issued: {
        const id = str(d, 'id');
        const quantity = int(d, 'quantity');
        const refills = int(d, 'refills');
        const patient = str(d, 'patient');
        const controlledClass = str(d, 'controlledClass');
        if (id === null || quantity === null || refills === null || patient === null || controlledClass === null) return refuse('its data is not a prescription');
        if (this.prescriptions.has(id)) return refuse(`prescription ${id} was already issued`);
        const remaining = totalPacks(quantity, refills);
        this.prescriptions.set(id, { id, prescriberId: event.actor, patient, quantity, refills, remaining, controlledClass, state: 'active', issuedSeq: seq, updatedSeq: seq });
        return null;
      }
      case PrescriptionEventTypes.cancelled: {
        const rx = this.prescriptions.get(str(d, 'id') ?? '');
        if (!rx || rx.prescriberId !== event.actor) return refuse(`${event.actor} issued no prescription ${show(d.id)}`);
        if (rx.state !== 'active') return refuse(`prescription ${rx.id} is ${rx.state}`);
        rx.state = 'cancelled';
        rx.updatedSeq = seq;
        return null;
      }
      case DispensingEventTypes.supplied: {
        const rx = this.prescriptions.get(str(d, 'prescription') ?? '');
        const packs = packsOf(d);
        if (!rx || packs === null) return refuse(`no prescription ${show(d.prescription)} was issued`);
        if (rx.state !== 'active') return refuse(`prescription ${rx.id} is ${rx.state}`);
        if (rx.remaining < packs.length) return refuse(`prescription ${rx.id} allows ${rx.remaining} more pack(s), and it supplies ${packs.length}`);
        rx.remaining -= packs.length;
        rx.state = rx.remaining === 0 ? 'exhausted' : 'active';
        rx.updatedSeq = seq;
        this.supplies.set(hash, rx.id);
        return null;
      }
      case DispensingEventTypes.undone: {
        const rx = this.prescriptions.get(this.supplies.get(str(d, 'undoes') ?? '') ?? '');
        const packs = packsOf(d);
        if (!rx || packs === null) return null; // the undo of another decommission: no prescription involved
        rx.remaining += packs.length;
        if (rx.state === 'exhausted') rx.state = 'active';
        rx.updatedSeq = seq;
        return null;
      }
      default:
        return null;
    }
  }

  async compare(): Promise<AuditFailure | null> {
    if (!this.stored) return null;
    const byId = new Map((await this.stored.read()).map((p) => [p.id, p]));
    for (const r of this.prescriptions.values()) {
      const s = byId.get(r.id);
      const where = `prescription ${r.id}`;
      if (!s) return mismatch(where, `event #${r.issuedSeq} issued it, but it is not stored.`);
      const diff = firstDifference(r, s);
      if (diff) return mismatch(where, `${diff} (its last event is #${r.updatedSeq}).`);
      byId.delete(r.id);
    }
    const [extra] = byId.keys();
    return extra === undefined ? null : mismatch(`prescription ${extra}`, 'it is stored, but no event issued it.');
  }
}

const FIELDS: Array<[keyof StoredPrescription, string]> = [
  ['remaining', 'remaining'],
  ['state', 'state'],
  ['prescriberId', 'prescriber'],
  ['patient', 'patient pseudonym'],
  ['quantity', 'quantity'],
  ['refills', 'refills'],
  ['controlledClass', 'controlled class'],
  ['issuedSeq', 'issued seq'],
  ['updatedSeq', 'updated seq'],
];

function firstDifference(r: ReplayedPrescription, s: StoredPrescription): string | null {
  for (const [key, name] of FIELDS) {
    if (s[key] === r[key]) continue;
    return `${name} is stored as ${show(s[key])}, but the events make it ${show(r[key])}`;
  }
  return null;
}

function mismatch(where: string, why: string): AuditFailure {
  return { code: 'PRESCRIPTION_STATE_MISMATCH', where, why };
}
