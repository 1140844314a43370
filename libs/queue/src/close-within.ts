/**
 * Closes a queue resource, but never waits longer than `ms` for it: while Redis is unreachable a
 * graceful close would wait for it forever, and a process being stopped must stop. When the close
 * fails or is still running after `ms`, `force` is called; if it returns a promise (a forced close
 * that settles once the resource is down), that is waited for too, again at most `ms`.
 */
export async function closeWithin(close: () => Promise<unknown>, force: () => unknown, ms = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const within = <T>(p: Promise<T>): Promise<T | 'timeout'> =>
    Promise.race([
      p,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  let outcome: 'closed' | 'timeout' | 'failed';
  try {
    outcome = await within(Promise.resolve().then(close).then(() => 'closed' as const));
  } catch {
    outcome = 'failed';
  }
  if (outcome === 'closed') return;
  try {
    await within(Promise.resolve().then(force));
  } catch {
    // Forced as far as it goes: nothing more to wait for.
  }
}
