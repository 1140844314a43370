export * from './cold-chain-events';
export * from './mean-kinetic-temperature';
export * from './excursion-evaluation';
export * from './cold-chain.module';
export * from './cold-chain-history.service';
export * from './evaluation/cold-chain-evaluation.module';
export * from './evaluation/cold-chain-evaluator';
export * from './reading-problems';
