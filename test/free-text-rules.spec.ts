// Free text in events that people read — reasons, a prescribed product's description — refuses control and
// bidi-formatting characters with INVALID_EVENT_DATA naming the field and the character (EventDataReader.text),
// in every rule that carries such text, not only recalls (libs/recalls/src/rules/recall-rules.spec.ts). Parsing
// only: no server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEnvelope } from '@pharmatrace/ledger-core';
import type { EventRule } from '@pharmatrace/ledger';
import { DomainError } from '@pharmatrace/errors';
import { destroyedRule, reportedLostRule, reportedStolenRule } from '@pharmatrace/custody/rules/disposal.rules';
import { refusedRule, shippingVoidedRule } from '@pharmatrace/custody/rules/handover.rules';
import { decommissionedRule } from '@pharmatrace/dispensing/rules/decommissioned.rule';
import { quarantinedRule, releasedRule } from '@pharmatrace/cold-chain/rules/quarantine.rules';
import { prescriptionCancelledRule, prescriptionIssuedRule } from '@pharmatrace/prescriptions/rules/prescription.rules';

const PACK = 'sgtin:09506000134352.ABC123';
const SHIPMENT = 'shipment:abcdefgh-1234';
const RX = 'rx-12345678';

function envelope(data: Record<string, unknown>, assets: string[]): EventEnvelope {
  return { type: 'x', id: 'e-1', actor: 'a', kid: 'k', at: '2026-11-27T10:00:00.000Z', assets: assets.map((id) => ({ id, prev: null })), data: { v: 1, ...data } } as EventEnvelope;
}

/** Each rule, the field, and an event whose text is `text` in that field. */
const CASES: Array<[name: string, rule: EventRule<never>, path: string, event: (text: string) => EventEnvelope]> = [
  ['custody.destroyed', destroyedRule as EventRule<never>, 'data.reason', (t) => envelope({ items: [PACK], reason: t }, [PACK])],
  ['custody.reported_stolen', reportedStolenRule as EventRule<never>, 'data.reason', (t) => envelope({ items: [PACK], reason: t }, [PACK])],
  ['custody.reported_lost', reportedLostRule as EventRule<never>, 'data.reason', (t) => envelope({ items: [PACK], reason: t }, [PACK])],
  ['custody.refused', refusedRule as EventRule<never>, 'data.reason', (t) => envelope({ shipment: SHIPMENT, reason: t }, [SHIPMENT])],
  ['custody.shipping_voided', shippingVoidedRule as EventRule<never>, 'data.reason', (t) => envelope({ shipment: SHIPMENT, reason: t }, [SHIPMENT])],
  ['dispensing.decommissioned', decommissionedRule as EventRule<never>, 'data.reason', (t) => envelope({ kind: 'locked', packs: [PACK], reason: t }, [PACK])],
  ['cold_chain.released', releasedRule as EventRule<never>, 'data.reason', (t) => envelope({ items: [PACK], reason: t }, [PACK])],
  ['cold_chain.quarantined', quarantinedRule as EventRule<never>, 'data.reason', (t) => envelope({ items: [PACK], reason: t }, [PACK])],
  ['prescription.cancelled', prescriptionCancelledRule as EventRule<never>, 'data.reason', (t) => envelope({ id: RX, reason: t }, [`prescription:${RX}`])],
  [
    'prescription.issued',
    prescriptionIssuedRule as EventRule<never>,
    'data.product.activeIngredient',
    (t) => envelope({ id: RX, patient: 'a'.repeat(64), product: { activeIngredient: t, strength: '100 U/ml', form: 'pen' } }, [`prescription:${RX}`]),
  ],
];

describe('free text in events: no control or bidi-formatting characters', () => {
  for (const [name, rule, path, event] of CASES) {
    it(`${name}: ${path}`, () => {
      for (const [bad, character] of [['\u001b[2J', 'U+001B'], ['\u0007', 'U+0007'], ['\n', 'U+000A'], ['\u009b', 'U+009B'], ['\u202e', 'U+202E'], ['\u2069', 'U+2069']]) {
        assert.throws(
          () => rule.parse(event(`broken ${bad}seal`)),
          (e: unknown) => e instanceof DomainError && e.code === 'INVALID_EVENT_DATA' && e.details?.path === path && e.details?.character === character,
          `${name} ${character}`,
        );
      }
    });
  }
});
