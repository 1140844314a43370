// The other EU FMD decommissions a pharmacy or wholesaler signs for packs it holds: sample (to a competent
// authority), free sample, locked (held for investigation) and exported (left the market). Only active
// packs, judged like a dispense; destroyed and stolen stay the custody events (custody.destroyed,
// custody.reported_stolen), which are final and cannot be undone.
import { EventEnvelope } from '@pharmatrace/ledger-core';
import { EventDataReader, EventRule } from '@pharmatrace/ledger';
import { DECOMMISSION_KINDS, DECOMMISSIONING_ROLES, DecommissionedData, DispensingEventTypes } from '../dispensing-events';
import { decommissionPacks, recordDecommission, requireFitPacks } from '../decommission-checks';
import { readPacks } from './parse-packs';

export const decommissionedRule: EventRule<DecommissionedData> = {
  type: DispensingEventTypes.decommissioned,
  roles: DECOMMISSIONING_ROLES,
  parse(event) {
    const r = EventDataReader.of(event.data);
    r.version([1]);
    const kind = r.oneOf('kind', DECOMMISSION_KINDS);
    const packs = readPacks(r, event);
    const reason = r.text('reason', { max: 500 });
    r.done();
    return { ...event, data: { v: 1, kind, packs, reason } } as EventEnvelope<DecommissionedData>;
  },
  async apply({ manager: m, event, hash, seq, signer, now }) {
    const { kind, packs, reason } = event.data;
    const checked = await requireFitPacks(m, packs, signer.participantId, now.toISOString().slice(0, 10), now);
    await decommissionPacks(m, checked.map((c) => c.item), signer.participantId, kind, reason, seq);
    await recordDecommission(m, { hash, seq, participantId: signer.participantId, kind, packs, prescriptionId: null, at: now });
    return { [kind]: packs.length };
  },
};
