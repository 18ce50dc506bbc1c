import type { Environment } from '../../src/core/environment.js';

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

export function until(check: () => boolean, timeout = 3000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeout) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}
