// Captured when this module loads, before any test fakes the clock: a wait measures real time
// and keeps polling while a test holds `setTimeout` and `Date` still (node:test mock timers).
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
const realNow = () => performance.now();

/** Resolves after `ms` of real time, whatever fake timers a test installed. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/**
 * Waits until `condition` holds, checking every `interval` ms. The timeout is a failure bound
 * for a condition that never comes, not a guess at how long the machine needs: keep it generous.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, { timeout = 30_000, interval = 50 } = {}): Promise<void> {
  const deadline = realNow() + timeout;
  for (;;) {
    if (await condition()) return;
    if (realNow() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for: ${what}`);
    await realDelay(interval);
  }
}

/**
 * `promise`, or a failure if it has not settled after `timeout` ms of real time: a deadlock
 * detector. A deadlock never settles, so the bound says nothing about speed; keep it generous.
 */
export async function settlesWithin<T>(promise: Promise<T>, what: string, timeout = 30_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = realSetTimeout(() => reject(new Error(`deadlock: ${what} did not settle in ${timeout} ms`)), timeout);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    realClearTimeout(timer);
  }
}
