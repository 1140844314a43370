import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { LedgerKey, LedgerModule, loadOrCreateLedgerKey } from '@pharmatrace/ledger';
import { ColdChainModule } from '../cold-chain.module';
import { ColdChainEvaluator } from './cold-chain-evaluator';
import { COLD_CHAIN_LEDGER_KEY, QuarantineIssuer } from './quarantine-issuer';

/** For the worker only: evaluation and automatic quarantine, which sign with the ledger's private key. */
@Module({
  imports: [LedgerModule, ColdChainModule],
  providers: [
    {
      provide: COLD_CHAIN_LEDGER_KEY,
      inject: [DataSource, APP_CONFIG],
      useFactory: async (dataSource: DataSource, config: AppConfig): Promise<LedgerKey> => {
        const key = loadOrCreateLedgerKey(config.ledgerKeyPath);
        // Published as the sealer publishes it, so that the pipeline (and any auditor) can verify the
        // system events this key signs even before it has sealed a block.
        await dataSource.query('INSERT INTO ledger_signing_keys (kid, public_key) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING', [
          key.kid,
          Buffer.from(key.publicKey).toString('base64url'),
        ]);
        return key;
      },
    },
    QuarantineIssuer,
    ColdChainEvaluator,
  ],
  exports: [ColdChainEvaluator],
})
export class ColdChainEvaluationModule {}
