// One progress bar for every long CLI command (commissioning, audit, export, label sheets, traces), drawn
// by cli-progress on stderr. Only on a terminal, or when asked: a script reading stdout sees the one
// summary line and nothing else, and its stderr stays quiet.
import { SingleBar } from 'cli-progress';

export interface ProgressBar {
  /** `done` of `total` units (the total may grow, e.g. a ledger appended while it is exported). */
  update(done: number, total: number): void;
  /** Adds `n` units to what is done (after `update` has set the total). */
  increment(n: number): void;
  /** Removes the bar's timer; the bar's last state stays on screen. */
  stop(): void;
}

/**
 * A one-line note on stderr for work that runs as one atomic call (commissioning a batch, uploading a
 * logger's readings): the server does it all or nothing inside one transaction, so there is no progress
 * between the start and the answer to draw. On a terminal only, like the bars.
 */
export function noteAtomicCall(text: string): void {
  if (process.stderr.isTTY === true) process.stderr.write(`${text}\n`);
}

/**
 * A bar reading `<label> [████░░] done/total <unit> | 42% | 3s left` on stderr, when stderr is a terminal
 * or `force` is set (then redrawn at most once a second on a non-terminal); otherwise a bar that draws
 * nothing.
 */
export function progressBar(label: string, unit: string, options: { force?: boolean } = {}): ProgressBar {
  if (process.stderr.isTTY !== true && options.force !== true) return { update() {}, increment() {}, stop() {} };
  const bar = new SingleBar({
    stream: process.stderr,
    noTTYOutput: options.force === true,
    notTTYSchedule: 1000,
    format: `${label} [{bar}] {value}/{total} ${unit} | {percentage}% | {eta_formatted} left`,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(Math.max(total, done), 0);
      started = true;
      bar.setTotal(Math.max(total, done));
      bar.update(done);
    },
    increment(n) {
      if (started) bar.increment(n);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
