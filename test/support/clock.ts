import type { TestContext } from 'node:test';
import { waitFor } from './wait.js';

/**
 * Fake time for one Node test (node:test mock timers): `setTimeout` and `Date` stand still until
 * the test moves them, so a session's lifetime passes when the test says so, not when a busy
 * machine gets round to it. Everything else (I/O, crypto, servers on 127.0.0.1) runs for real:
 * wait for its results with `until`/`waitFor`, which keep real time. Time starts on a whole
 * second, as `expires_at` is in whole seconds, so timer delays come out exact. The mocks end
 * with the test.
 */
export function fakeClock(t: TestContext, start = Math.ceil(Date.now() / 1000) * 1000) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: start });
  const clock = {
    /** Moves time forward by `ms`, firing (synchronously) every timer that comes due. */
    tick(ms: number): void {
      t.mock.timers.tick(ms);
    },
    /**
     * Moves time forward `step` ms at a time until `condition` holds: for timers the code arms
     * only after real work (a retry after a failed request), whose arming a test cannot see.
     */
    async advanceUntil(condition: () => boolean, what: string, step = 50): Promise<void> {
      await waitFor(() => {
        if (condition()) return true;
        clock.tick(step);
        return false;
      }, what, { interval: 10 });
    },
  };
  return clock;
}
