import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The compiled CLI, as `npx pharmatrace` runs it (scripts/run-tests.js builds dist/ before the suites). */
export const CLI_ENTRY = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI (`npx pharmatrace ...`) as a separate process, the way an operator would. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runNode([CLI_ENTRY, ...args], env);
}

/**
 * Runs `node <args>`: a `.ts` script through SWC's require hook, compiled JavaScript as it is.
 * `cwd` other than the repository (e.g. an empty folder, to see what a command creates there) needs absolute script paths.
 */
export function runNode(args: string[], env: Record<string, string>, timeoutMs = 60_000, cwd: string = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const hook = args[0]?.endsWith('.ts') ? ['-r', require.resolve('@swc-node/register')] : [];
    const child = spawn(process.execPath, [...hook, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
