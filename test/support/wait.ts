/**
 * Waits until `condition` holds, checking every `interval` ms. The timeout is a failure bound
 * for a condition that never comes, not a guess at how long the machine needs: keep it generous.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, { timeout = 30_000, interval = 50 } = {}): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
