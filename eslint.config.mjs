// ESLint flat config (issue 11): typescript-eslint's type-aware rules over every
// TypeScript source the compiler sees (tsconfig.json "include"). Only rules that
// catch real defects are on: an unawaited promise in a pipeline or a processor
// is a lost write, so promise handling is an error, not a warning.
// Formatting is not ESLint's job; no formatter is installed yet (issue 11).
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.data/**', '**/test-output/**'],
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        // One TypeScript program for the whole repo, built from tsconfig.json.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test awaits the promise that describe/it/test/suite and the
          // hooks return (it runs them in order and reports their failures),
          // so calling them without `await` at the top level is the idiom, not
          // a lost promise. Every other promise must be awaited, returned, or
          // handled with `.catch(...)`; `void` only for deliberate
          // fire-and-forget, with a comment saying why.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      // An async callback where a void-returning one is expected (setInterval,
      // event emitters, Array#forEach) drops its rejection on the floor.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // House rule: no `any` on domain types.
      '@typescript-eslint/no-explicit-any': 'error',
      // `Function` accepts any callable unchecked; the one place TypeORM's own
      // signature needs it (libs/database/src/data-source.ts) says so inline.
      '@typescript-eslint/no-unsafe-function-type': 'error',
    },
  },
);
