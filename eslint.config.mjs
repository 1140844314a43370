// ESLint flat config (issue 11): typescript-eslint's type-aware rules over every
// TypeScript source the compiler sees (tsconfig.json "include"). Only rules that
// catch real defects are on: an unawaited promise in a pipeline or a processor
// is a lost write, so promise handling is an error, not a warning.
//
// Formatting: @stylistic/eslint-plugin's rules, set to the style this code base
// already has (2-space indent, single quotes, semicolons, trailing commas in
// multi-line lists, no trailing spaces). `npm run format` applies them
// (`eslint --fix`); `npm run lint` and CI fail on a deviation. Line length is
// left to the author: the code keeps one statement on one line where it reads
// better, which a reflowing printer (Prettier changed 255–375 of 560 files at
// any print width) would undo.
import { defineConfig } from 'eslint/config';
import stylistic from '@stylistic/eslint-plugin';
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
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/indent': ['error', 2, { SwitchCase: 1, flatTernaryExpressions: true, offsetTernaryExpressions: true, ignoredNodes: ['TSUnionType > TSTypeLiteral', 'TSUnionType > TSTypeLiteral *'] }],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/semi-spacing': 'error',
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/comma-spacing': 'error',
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/eol-last': 'error',
      '@stylistic/no-multiple-empty-lines': ['error', { max: 1, maxEOF: 0 }],
      '@stylistic/no-tabs': 'error',
      '@stylistic/no-multi-spaces': ['error', { ignoreEOLComments: true }],
      '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
      '@stylistic/space-in-parens': 'error',
      '@stylistic/keyword-spacing': 'error',
      '@stylistic/space-before-blocks': 'error',
      '@stylistic/space-infix-ops': 'error',
      '@stylistic/arrow-spacing': 'error',
      '@stylistic/key-spacing': 'error',
      '@stylistic/member-delimiter-style': 'error',
      '@stylistic/type-annotation-spacing': 'error',
    },
  },
);
