import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the read-access policy (libs/access) needs to decide in a few lookups who may see an event:
 * an event's assets by sequence number, the items an event created, and shipments by sender.
 */
export class ReadAccessIndexes1764100000000 implements MigrationInterface {
  name = 'ReadAccessIndexes1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX event_assets_seq ON event_assets (seq);
      CREATE INDEX custody_items_created ON custody_items (created_seq);
      CREATE INDEX shipments_from ON shipments (from_id, state);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX shipments_from; DROP INDEX custody_items_created; DROP INDEX event_assets_seq;');
  }
}
