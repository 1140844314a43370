import { MigrationInterface, QueryRunner } from 'typeorm';

/** A shipment may end voided by its sender (CBV void_shipping, `custody.shipping_voided`) as well as received or refused. */
export class ShipmentVoided1764120000000 implements MigrationInterface {
  name = 'ShipmentVoided1764120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE shipments DROP CONSTRAINT shipments_state_check;
      ALTER TABLE shipments ADD CONSTRAINT shipments_state_check CHECK (state IN ('in_transit','received','refused','voided'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE shipments DROP CONSTRAINT shipments_state_check;
      ALTER TABLE shipments ADD CONSTRAINT shipments_state_check CHECK (state IN ('in_transit','received','refused'));
    `);
  }
}
