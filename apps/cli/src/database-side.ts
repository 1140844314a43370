// The CLI's database side: Nest, TypeORM and the ledger pipeline, for the few commands that open the
// database themselves (init, migrate, audit and export without --server). Every other command talks to a
// server over HTTP and never loads these, so a CLI call starts in a fraction of a second (issue 11).
// Load it with `databaseSide()` from ./load-database-side, never with a static import.
export { EventPipeline } from '@pharmatrace/ledger';
export { startRuntime } from '@pharmatrace/runtime';
export { createCliContext } from './cli-context';
export { exportFromDatabase } from './export-from-database';
