// The sender cancels a shipment still in transit (CBV void_shipping): the goods are back in its custody.
import { PharmaTraceClient, readKeyFile, voidShipment } from '@pharmatrace/sdk';
import { flags, required } from '../args';

export const VOID_SHIPMENT_USAGE = '  void-shipment --server URL --key FILE --shipment ID --reason R';

/** `cli void-shipment --shipment ID --reason R` */
export async function voidShipmentCommand(argv: string[]): Promise<void> {
  const f = flags(argv, ['server', 'key', 'shipment', 'reason']);
  const client = new PharmaTraceClient(required(f, 'server'), readKeyFile(required(f, 'key')));
  console.log(JSON.stringify(await voidShipment(client, required(f, 'shipment'), required(f, 'reason'))));
}
