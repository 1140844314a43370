// The one way into the CLI's database side (./database-side): loaded on first use only.
import type * as DatabaseSide from './database-side';

/**
 * Nest, TypeORM and the ledger pipeline, loaded on first call. A plain `require` of a relative path:
 * the compiled dist/ and the sources the tests run resolve it alike (a dynamic `import()` would be an
 * ES module import under this tsconfig's `module: node20`); the type still comes from the module itself.
 */
export function databaseSide(): typeof DatabaseSide {
  return require('./database-side') as typeof DatabaseSide;
}
