/**
 * Closes a queue resource, but never waits longer than `ms`: while Redis is unreachable a graceful
 * close would wait for it forever, and a process being stopped must stop.
 */
export async function closeWithin(close: () => Promise<unknown>, force: () => unknown, ms = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    const outcome = await Promise.race([close().then(() => 'closed' as const), timedOut]);
    if (outcome === 'timeout') force();
  } catch {
    force();
  } finally {
    clearTimeout(timer);
  }
}
