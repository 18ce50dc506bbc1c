import { abortableSleep } from './util/sleep.js';

/**
 * Runs `fn` holding the named lock across every tab of this origin. Web Locks where the browser
 * has them; otherwise an in-tab queue plus a short lease in localStorage. A holder that hangs
 * (a frozen tab, a lost promise) cannot block the others: after `timeout` ms the lock is stolen,
 * which is safe here because the job under it re-reads storage before it acts.
 */
export async function withLock<T>(name: string, timeout: number, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks?.request) return webLock(locks, name, timeout, fn);
  return fallbackLock(name, timeout, fn);
}

async function webLock<T>(locks: LockManager, name: string, timeout: number, fn: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  let entered = false;
  try {
    return await locks.request(name, { signal: controller.signal }, async () => {
      entered = true;
      clearTimeout(timer);
      return fn();
    });
  } catch (error) {
    if (entered || !controller.signal.aborted) throw error;
    return locks.request(name, { steal: true }, fn);
  } finally {
    clearTimeout(timer);
  }
}

const queues = new Map<string, Promise<unknown>>();

async function fallbackLock<T>(name: string, timeout: number, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(name) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  queues.set(name, tail);
  try {
    // Wait for the holder before us, but not past the timeout (then take the lock anyway).
    const gaveUp = new AbortController();
    await Promise.race([previous.catch(() => {}), abortableSleep(timeout, gaveUp.signal).catch(() => {})]);
    gaveUp.abort();
    const lease = await takeLease(name, timeout);
    try {
      return await fn();
    } finally {
      lease?.();
    }
  } finally {
    release();
    if (queues.get(name) === tail) queues.delete(name);
  }
}

const tabId = Math.random().toString(36).slice(2);

async function takeLease(name: string, timeout: number): Promise<(() => void) | null> {
  let storage: Storage | undefined;
  try {
    storage = globalThis.localStorage;
  } catch {
    return null;
  }
  if (!storage) return null;
  const key = `${name}:lease`;
  const deadline = Date.now() + timeout;
  for (;;) {
    const held = readLease(storage, key);
    if (!held || held.until < Date.now() || Date.now() >= deadline) {
      const token = `${tabId}:${Math.random()}`;
      storage.setItem(key, JSON.stringify({ token, until: Date.now() + timeout }));
      // Two tabs may write at once; the last writer wins and the other waits its turn.
      await abortableSleep(15);
      if (readLease(storage, key)?.token === token || Date.now() >= deadline) {
        return () => {
          if (readLease(storage!, key)?.token === token) storage!.removeItem(key);
        };
      }
    }
    await abortableSleep(25);
  }
}

function readLease(storage: Storage, key: string): { token: string; until: number } | null {
  try {
    const value = JSON.parse(storage.getItem(key) ?? 'null');
    return value && typeof value.token === 'string' && typeof value.until === 'number' ? value : null;
  } catch {
    return null;
  }
}

/**
 * Marks `name` as spent for `ms` in every tab of this origin at once. localStorage reaches other
 * tabs' processes a moment late, so the next holder of the refresh lock may still read the old
 * session; a held Web Lock is visible to every tab through the browser the moment it is granted.
 * Resolves once the mark is in place. Without Web Locks it does nothing.
 */
export function markSpent(name: string, ms: number): Promise<void> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks?.request) return Promise.resolve();
  return new Promise((resolve) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        resolve();
        return lock ? abortableSleep(ms) : undefined;
      })
      .catch(() => resolve());
  });
}

/**
 * Takes `name` for `ms` if no tab of this origin holds it: true for the one tab that got it,
 * false for every other. The browser's lock manager decides at once for all tab processes,
 * which storage written a moment ago in another process cannot. Without Web Locks: null (the
 * caller's own lock is all there is).
 */
export function claim(name: string, ms: number): Promise<boolean | null> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks?.request) return Promise.resolve(null);
  return new Promise((resolve) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock ? abortableSleep(ms) : undefined;
      })
      .catch(() => resolve(null));
  });
}

/** Whether another tab (or this one) marked `name` as spent. */
export async function isSpent(name: string): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks?.query) return false;
  try {
    const { held = [] } = await locks.query();
    return held.some((lock) => lock.name === name);
  } catch {
    return false;
  }
}

/** A short, stable name for a secret (never the secret itself in a lock name). */
export async function fingerprint(secret: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
  return Array.from(digest.slice(0, 12), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
