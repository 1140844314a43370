// Keeps libs/ledger-core framework-free and browser-safe (DESIGN.md, "Layout"): no framework,
// database or queue package anywhere in it, and no Node builtin or Node-only global in any file a
// browser bundle can reach. Run: node -r @swc-node/register scripts/check-ledger-core-purity.ts [dir]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

export interface PurityViolation {
  file: string;
  line: number;
  message: string;
}

export interface PurityReport {
  filesChecked: number;
  violations: PurityViolation[];
}

export const DEFAULT_LEDGER_CORE_SRC = resolve(__dirname, '../libs/ledger-core/src');

/** Packages that would tie the core to a framework, a database or a queue. */
const FORBIDDEN_PACKAGE = /^(@nestjs\/|typeorm(\/|$)|pg(\/|$)|bullmq(\/|$)|ioredis(\/|$)|@pharmatrace\/)/;
/** The one source file allowed to use Node, because it is never reachable from index.ts. */
const NODE_ONLY_FILES = new Set(['node-crypto-verifier.ts']);
const SOURCE_FILE = /\.(ts|tsx|js|mjs|cjs)$/;
// Matched on text whose comments and string contents are blanked, so that an import written inside
// a string or a comment does not count; the specifier is then read from the original text.
const IMPORT_PATTERN = /\bfrom\s*(['"])[^'"\n]*\1|\bimport\s*(['"])[^'"\n]*\2|\b(?:require|import)\s*\(\s*(['"])[^'"\n]*\3\s*\)/g;
const NODE_GLOBAL_PATTERN = /(?<![.\w$])(Buffer|process|__dirname|__filename)\b/g;
const BUILTINS = new Set(builtinModules);

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]);
}

function isSpec(file: string): boolean {
  return /\.spec\.[cm]?[jt]sx?$/.test(file);
}

function isNodeAllowed(file: string): boolean {
  return NODE_ONLY_FILES.has(basename(file)) || isSpec(file);
}

/**
 * Blanks comments (and, if asked, string contents) with spaces, keeping every newline so that
 * offsets still map to the right line numbers. A lexer in miniature: it does not know regex
 * literals, so a regex containing a quote or // could confuse it (ledger-core has none).
 */
function blank(code: string, strings: boolean): string {
  let out = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    const next = code[i + 1];
    if (c === '/' && next === '/') {
      const end = code.indexOf('\n', i);
      const stop = end < 0 ? code.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end < 0 ? code.length : end + 2;
      out += code.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < code.length && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
      const literal = code.slice(i, j + 1);
      out += strings ? c + literal.slice(1, -1).replace(/[^\n]/g, ' ') + c : literal;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE_FILE.test(name) ? [path] : [];
  });
}

interface ImportSite {
  specifier: string;
  line: number;
}

function importsOf(code: string): ImportSite[] {
  const text = blank(code, true);
  const sites: ImportSite[] = [];
  for (const m of text.matchAll(IMPORT_PATTERN)) {
    const start = m.index ?? 0;
    const open = start + m[0].search(/['"]/);
    const close = open + 1 + m[0].slice(open - start + 1).search(/['"]/);
    sites.push({ specifier: code.slice(open + 1, close), line: lineAt(text, open) });
  }
  return sites;
}

function resolveRelative(fromFile: string, specifier: string): string | null {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

export function checkLedgerCorePurity(srcDir: string = DEFAULT_LEDGER_CORE_SRC): PurityReport {
  const root = resolve(srcDir);
  if (!existsSync(root)) throw new Error(`ledger-core source folder ${root} does not exist`);
  const files = sourceFiles(root);
  const violations: PurityViolation[] = [];
  const importsByFile = new Map<string, ImportSite[]>();

  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    const imports = importsOf(code);
    importsByFile.set(file, imports);
    for (const { specifier, line } of imports) {
      if (FORBIDDEN_PACKAGE.test(specifier)) {
        violations.push({ file, line, message: `imports "${specifier}"; ledger-core must stay free of frameworks, databases, queues and other libs` });
      } else if (!isNodeAllowed(file) && isNodeBuiltin(specifier)) {
        violations.push({ file, line, message: `imports Node builtin "${specifier}"; ledger-core must run in a browser (only node-crypto-verifier.ts and specs may)` });
      } else if (!isSpec(file) && specifier.startsWith('.') && !resolve(dirname(file), specifier).startsWith(root + sep)) {
        violations.push({ file, line, message: `imports "${specifier}" from outside libs/ledger-core` });
      }
    }
    if (!isNodeAllowed(file)) {
      const text = blank(code, true);
      for (const m of text.matchAll(NODE_GLOBAL_PATTERN)) {
        violations.push({ file, line: lineAt(text, m.index ?? 0), message: `uses the Node-only global "${m[1]}"; ledger-core must run in a browser` });
      }
    }
  }

  // index.ts is what browsers bundle: nothing it reaches may be Node-only, even if allowed above.
  const index = join(root, 'index.ts');
  const reached = new Set<string>();
  const queue = existsSync(index) ? [index] : [];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (reached.has(file)) continue;
    reached.add(file);
    for (const { specifier, line } of importsByFile.get(file) ?? []) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      if (target === null) continue;
      if (isNodeAllowed(target)) {
        violations.push({ file, line, message: `makes ${relative(root, target)} reachable from index.ts; it is Node-only and must be imported by its own path` });
      } else {
        queue.push(target);
      }
    }
  }

  violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { filesChecked: files.length, violations };
}

if (require.main === module) {
  const dir = resolve(process.argv[2] ?? DEFAULT_LEDGER_CORE_SRC);
  const report = checkLedgerCorePurity(dir);
  for (const v of report.violations) console.error(`${relative(process.cwd(), v.file)}:${v.line}: ${v.message}`);
  if (report.violations.length > 0) {
    console.error(`ledger-core purity: ${report.violations.length} violation(s) in ${report.filesChecked} files`);
    process.exit(1);
  }
  console.log(`ledger-core purity: ${report.filesChecked} files checked, no violations`);
}
