// EPCIS events that close a shipment or take goods out of the supply chain → their PharmaTrace operations, the
// inverse of the export's rows for custody.refused, custody.shipping_voided, custody.destroyed and
// dispensing.decommissioned (../export/epcis-event-mapping.ts); and the precise refusals of dispensing and
// quarantine, which an EPCIS document cannot drive. Pure; docs/epcis.md "Import" has the table.
import {
  assets,
  bare,
  EpcisImportFacts,
  EpcisImportStep,
  Ev,
  IMPORTABLE_DECOMMISSION_KINDS,
  ImportDecommissionKind,
  list,
  reasonOf,
  Refused,
  requireMine,
  Sim,
  stateNow,
} from './epcis-import-context';

/** Roles that sign dispensing.decommissioned (EU FMD: the pharmacy or wholesaler holding the packs; libs/dispensing DECOMMISSIONING_ROLES). */
export const DECOMMISSIONING_SIGNER_ROLES: readonly string[] = ['pharmacy', 'wholesaler'];

/** States nothing more can happen to (libs/custody disposal rules): destroying them again is refused. */
const FINAL_STATES = new Set(['dispensed', 'destroyed', 'stolen', 'lost', 'consumed', 'supplied', 'sample', 'free_sample', 'exported']);

const sameItems = (a: string[], b: string[]): boolean => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

function epcListOf(e: Ev, step: string): string[] {
  const items = assets(list(e.epcList), 'EPC');
  if (items.length === 0) throw new Refused('EPCIS_UNSUPPORTED_EVENT', `${step} needs an epcList of the SGTINs/SSCCs concerned (quantity-only events have no PharmaTrace counterpart).`);
  const twice = items.find((id, i) => items.indexOf(id) !== i);
  if (twice) throw new Refused('EPCIS_INCONSISTENT', `${twice} is listed twice in epcList; name each item once.`);
  return items;
}

/**
 * ObjectEvent OBSERVE receiving with disposition `returned` (or `pt:outcome: "refused"`, as the export writes it)
 * → custody.refused of the open shipment to the signer that carries exactly these items: they go back to its sender.
 */
export function refusing(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim): EpcisImportStep {
  const items = epcListOf(e, 'refusing a shipment (receiving, disposition returned)');
  const shipment = facts.openShipmentWith(items);
  if (!shipment) throw new Refused('EPCIS_INCONSISTENT', 'no open shipment to you carries exactly these items; a refusal names every item of the shipment, and only its recipient refuses it.');
  if (sim.closed.has(shipment)) throw new Refused('EPCIS_INCONSISTENT', `${shipment} was already received or refused by an earlier event of this document.`);
  sim.closed.add(shipment);
  return { kind: 'refuse', index, shipment, items, reason: reasonOf(e, 'receiving (returned)') };
}

/**
 * ObjectEvent OBSERVE void_shipping → custody.shipping_voided by the sender: of the shipment an earlier shipping
 * event of this document created with exactly these items, else of the ledger shipment the items travel in
 * (which the signer sent, still in transit, carrying exactly these items). The items are the signer's again.
 */
export function voidShipping(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim): EpcisImportStep {
  const items = epcListOf(e, 'void_shipping');
  const reason = reasonOf(e, 'void_shipping');
  const own = [...sim.openShipments.entries()].reverse().find(([, shipped]) => sameItems(shipped, items));
  if (own) {
    sim.openShipments.delete(own[0]);
    for (const i of items) sim.shipped.delete(i);
    return { kind: 'void', index, shipment: null, shippedBy: own[0], items, reason };
  }
  const on = new Set<string>();
  for (const id of items) {
    const item = facts.item(id);
    if (!item) throw new Refused('EPCIS_NOT_YOURS', `${id} is not a registered item you can see.`);
    if (sim.shipped.has(id)) throw new Refused('EPCIS_INCONSISTENT', `${id} was shipped by an earlier event of this document with other items; void_shipping names exactly the items of one shipment.`);
    if (!item.inTransitOn || sim.landed.has(id)) throw new Refused('EPCIS_INCONSISTENT', `${id} is not in transit; only a shipment still in transit can be voided.`);
    on.add(item.inTransitOn);
  }
  if (on.size !== 1) throw new Refused('EPCIS_INCONSISTENT', `the items travel in ${on.size} shipments (${[...on].join(', ')}); void each shipment with its own void_shipping event.`);
  const shipment = [...on][0];
  const s = facts.shipment(shipment);
  if (!s) throw new Refused('EPCIS_NOT_YOURS', `${shipment} is not a shipment you can see.`);
  if (s.fromId !== facts.signerId) throw new Refused('EPCIS_NOT_YOURS', `${shipment} was sent by ${s.fromId}; only its sender may void it — as its recipient, send a receiving event with disposition returned (a refusal).`);
  if (s.state !== 'in_transit' || sim.closed.has(shipment)) throw new Refused('EPCIS_INCONSISTENT', `${shipment} is already ${sim.closed.has(shipment) ? 'closed by an earlier event of this document' : s.state}; only a shipment still in transit can be voided.`);
  if (!sameItems(s.items, items)) throw new Refused('EPCIS_INCONSISTENT', `void_shipping must name exactly the items of ${shipment}: ${s.items.join(', ')}.`);
  sim.closed.add(shipment);
  for (const i of items) sim.landed.add(i);
  return { kind: 'void', index, shipment, shippedBy: null, items, reason };
}

/**
 * ObjectEvent DELETE or OBSERVE destroying (disposition `destroyed`, or none) → custody.destroyed of items in the
 * signer's custody, not in transit and not already final. Final: a container takes its contents with it.
 */
export function destroying(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim): EpcisImportStep {
  const disposition = bare(e.disposition);
  if (disposition && disposition !== 'destroyed') throw new Refused('EPCIS_UNSUPPORTED_EVENT', `destroying with disposition ${disposition} has no PharmaTrace counterpart; custody.destroyed is disposition destroyed (or none).`);
  const items = epcListOf(e, 'destroying');
  for (const id of items) {
    requireMine(id, facts, sim);
    const state = stateNow(id, facts, sim);
    if (FINAL_STATES.has(state)) throw new Refused('EPCIS_INCONSISTENT', `${id} is already ${state}; it cannot be destroyed.`);
  }
  for (const id of items) sim.gone.set(id, 'destroyed');
  return { kind: 'destroy', index, items, reason: reasonOf(e, 'destroying') };
}

function decommissionKindOf(e: Ev, step: string): ImportDecommissionKind {
  const kind = e['pt:decommission'];
  const known = IMPORTABLE_DECOMMISSION_KINDS.find((k) => k === kind);
  if (step === 'holding') {
    // The only hold that is not the ledger's own quarantine: an EU FMD lock (the export's holding + pt:decommission "locked").
    if (known === 'locked') return known;
    throw new Refused(
      'EPCIS_UNSUPPORTED_EVENT',
      'holding (quarantine) is not imported: PharmaTrace quarantines goods only by its own cold-chain evaluation of recorded readings (import the Temperature sensor reports instead), and only the manufacturer releases them (cli quarantine release). A pack held for investigation is an EU FMD lock: add "pt:decommission": "locked".',
    );
  }
  if (kind === undefined) {
    throw new Refused(
      'EPCIS_UNSUPPORTED_EVENT',
      'decommissioning needs "pt:decommission" to say which EU FMD decommission it is: sample, free_sample or exported (locked: bizStep holding); for destruction send bizStep destroying, for a dispense use the counter (cli dispense).',
    );
  }
  if (!known) throw new Refused('EPCIS_UNSUPPORTED_EVENT', `pt:decommission ${JSON.stringify(kind)} is not one of ${IMPORTABLE_DECOMMISSION_KINDS.join(', ')}.`);
  return known;
}

/**
 * ObjectEvent OBSERVE decommissioning (disposition inactive) with `pt:decommission` sample, free_sample or exported,
 * or holding with `pt:decommission: "locked"` → dispensing.decommissioned (EU FMD Delegated Regulation 2016/161
 * art. 22, 23, 40; libs/dispensing). Packs (SGTINs) only, active, in the signer's custody; signed by a pharmacy or
 * wholesaler (EPCIS_FORBIDDEN_ROLE otherwise).
 */
export function decommissioning(e: Ev, index: number, facts: EpcisImportFacts, sim: Sim, step: string): EpcisImportStep {
  const kind = decommissionKindOf(e, step);
  if (!DECOMMISSIONING_SIGNER_ROLES.includes(facts.signerRole)) {
    throw new Refused('EPCIS_FORBIDDEN_ROLE', `a ${facts.signerRole || 'participant of unknown role'} cannot decommission packs: EU FMD decommissions (${kind}) are signed by the pharmacy or wholesaler holding them; import this event with that participant's key.`);
  }
  const packs = epcListOf(e, step);
  for (const id of packs) {
    if (!id.startsWith('sgtin:')) throw new Refused('EPCIS_UNSUPPORTED_EPC', `${id} is a logistic unit; a decommission names the packs (SGTINs) themselves.`);
    requireMine(id, facts, sim);
    const state = stateNow(id, facts, sim);
    if (state !== 'active') throw new Refused('EPCIS_INCONSISTENT', `${id} is ${state}; only an active pack can be decommissioned (${kind}).`);
  }
  for (const id of packs) {
    sim.gone.set(id, kind);
    // A decommissioned pack leaves the container it sat in (libs/dispensing decommissionPacks).
    sim.parentOf.set(id, null);
  }
  return { kind: 'decommission', index, decommission: kind, packs, reason: reasonOf(e, step) };
}

/** ObjectEvent dispensing: refused. A dispense needs what an EPCIS event never carries. */
export function dispensing(): never {
  throw new Refused(
    'EPCIS_UNSUPPORTED_EVENT',
    "dispensing is not imported: a dispense (dispensing.supplied) needs the patient's e-prescription (prescription id and patient pseudonym, which EPCIS never carries) and the pharmacist's scan of each pack at the counter; dispense there (cli dispense, SDK dispense).",
  );
}
