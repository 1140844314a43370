import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { LedgerKey, LedgerModule, loadPublishedLedgerKey } from '@pharmatrace/ledger';
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
      useFactory: (dataSource: DataSource, config: AppConfig): Promise<LedgerKey> => loadPublishedLedgerKey(dataSource, config.ledgerKeyPath),
    },
    QuarantineIssuer,
    ColdChainEvaluator,
  ],
  exports: [ColdChainEvaluator],
})
export class ColdChainEvaluationModule {}
