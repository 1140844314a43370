import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EffectiveItem, effectiveItems } from './custody-item.store';

export interface ShipmentView {
  id: string;
  fromId: string;
  toId: string;
  state: string;
  items: string[];
  shippedSeq: number;
  closedSeq: number | null;
}

/** Read side of custody: items as their custodian sees them, shipments, and what a container holds. */
@Injectable()
export class CustodyQueries {
  constructor(private readonly dataSource: DataSource) {}

  async item(id: string): Promise<EffectiveItem | null> {
    return (await effectiveItems(this.dataSource.manager, [id])).get(id) ?? null;
  }

  async contents(containerId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query('SELECT id FROM custody_items WHERE parent_id = $1 ORDER BY id', [containerId]);
    return rows.map((r) => r.id);
  }

  async shipment(id: string): Promise<ShipmentView | null> {
    const rows: Array<{ id: string; from_id: string; to_id: string; state: string; items: string[]; shipped_seq: string; closed_seq: string | null }> =
      await this.dataSource.query('SELECT * FROM shipments WHERE id = $1', [id]);
    const r = rows[0];
    return r
      ? { id: r.id, fromId: r.from_id, toId: r.to_id, state: r.state, items: r.items, shippedSeq: Number(r.shipped_seq), closedSeq: r.closed_seq === null ? null : Number(r.closed_seq) }
      : null;
  }

  /** Shipments addressed to a participant that wait to be received or refused. */
  async incoming(participantId: string): Promise<ShipmentView[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query("SELECT id FROM shipments WHERE to_id = $1 AND state = 'in_transit' ORDER BY shipped_seq", [participantId]);
    const out: ShipmentView[] = [];
    for (const r of rows) {
      const s = await this.shipment(r.id);
      if (s) out.push(s);
    }
    return out;
  }
}
