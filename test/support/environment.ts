import type { Environment } from '../../src/core/environment.js';
import { waitFor } from './wait.js';

/** A page stand-in for Node: an address bar, recorded navigations and a visibility switch. */
export function testEnvironment(url: string | null = null) {
  const visible = new Set<() => void>();
  const env = {
    current: url,
    navigations: [] as string[],
    isHidden: false,
    url: () => env.current,
    navigate: (to: string) => void env.navigations.push(to),
    replaceUrl: (to: string) => void (env.current = to),
    hidden: () => env.isHidden,
    onVisible: (listener: () => void) => {
      visible.add(listener);
      return () => visible.delete(listener);
    },
    setHidden(hidden: boolean) {
      env.isHidden = hidden;
      if (!hidden) for (const listener of [...visible]) listener();
    },
  };
  return env satisfies Environment;
}

/**
 * Waits until `check()` holds, polling every 10 ms of real time (also under fake timers). The
 * timeout only bounds a condition that never comes; it is no guess at how fast the machine is,
 * so keep it generous: CI runs this on 2 loaded cores.
 */
export function until(check: () => boolean, timeout = 30_000, what = 'condition'): Promise<void> {
  return waitFor(check, what, { timeout, interval: 10 });
}
