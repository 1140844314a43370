import { Controller, Get } from '@nestjs/common';
import { LedgerProofs, LedgerSigningKey } from '@pharmatrace/ledger';

/** GET /.well-known/pharmatrace-ledger — the ledger's public keys and newest signed head, for witnesses. */
@Controller('.well-known')
export class LedgerKeyController {
  constructor(private readonly proofs: LedgerProofs) {}

  @Get('pharmatrace-ledger')
  async ledger(): Promise<{ keys: LedgerSigningKey[]; latestBlock: unknown }> {
    const [keys, latest] = await Promise.all([this.proofs.signingKeys(), this.proofs.latestBlock()]);
    return { keys, latestBlock: latest };
  }
}
