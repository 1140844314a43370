import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { BlockSealer } from './block-sealer';
import { loadOrCreateLedgerKey } from './ledger-key';

/** For the worker only: the API never loads the ledger's private key. */
@Module({
  providers: [
    {
      provide: BlockSealer,
      inject: [DataSource, APP_CONFIG],
      useFactory: async (dataSource: DataSource, config: AppConfig) => {
        const sealer = new BlockSealer(dataSource, loadOrCreateLedgerKey(config.ledgerKeyPath), config.maxBlockEvents);
        await sealer.registerKey();
        return sealer;
      },
    },
  ],
  exports: [BlockSealer],
})
export class SealingModule {}
