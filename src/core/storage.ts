import { devWarn } from './util/dev.js';

/** The storage contract: the subset of Web Storage we use, sync or async. */
export interface StorageAdapter {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

export type StorageOption = 'local' | 'session' | 'memory' | StorageAdapter;

export function memoryStorage(): StorageAdapter {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

/**
 * Resolves the `storage` option. Web Storage can be missing (SSR, Node) or refuse to be read
 * (blocked cookies: a SecurityError): then the session lives in memory for this page. A write
 * that fails later (a full quota) leaves the session in memory too (StoredValue.write).
 */
export function resolveStorage(option: StorageOption = 'local'): { adapter: StorageAdapter; shared: boolean } {
  if (typeof option === 'object') return { adapter: option, shared: true };
  if (option === 'memory') return { adapter: memoryStorage(), shared: false };
  const web = webStorage(option);
  if (web) return { adapter: web, shared: option === 'local' };
  devWarn(`${option}Storage is not available; the session is kept in memory for this page.`);
  return { adapter: memoryStorage(), shared: false };
}

function webStorage(kind: 'local' | 'session'): StorageAdapter | null {
  try {
    const storage = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
    if (!storage) return null;
    // A read, not a write: a write would cost every page load a synchronous disk write and send
    // every other tab of the site a `storage` event (the write-only failure it caught, Safari's
    // private mode before Safari 11, is gone).
    storage.getItem('auth-elements');
    return storage;
  } catch {
    return null;
  }
}

/**
 * A typed JSON slot in a storage adapter. A value that is corrupt, or was written by something
 * else, is dropped with a dev warning: stored data must never break a page load.
 */
export class StoredValue<T> {
  constructor(
    private readonly storage: StorageAdapter,
    readonly key: string,
    private readonly validate: (value: unknown) => value is T,
  ) {}

  async read(): Promise<T | null> {
    let raw: string | null;
    try {
      raw = await this.storage.getItem(this.key);
    } catch (error) {
      devWarn(`Could not read ${this.key} from storage.`, error);
      return null;
    }
    if (raw === null || raw === undefined) return null;
    return this.parse(raw);
  }

  parse(raw: string): T | null {
    try {
      const value: unknown = JSON.parse(raw);
      if (this.validate(value)) return value;
    } catch {
      /* fall through */
    }
    devWarn(`Discarded an unreadable value in storage under ${this.key}.`);
    void this.remove();
    return null;
  }

  async write(value: T): Promise<void> {
    try {
      await this.storage.setItem(this.key, JSON.stringify(value));
    } catch (error) {
      devWarn(`Could not write ${this.key} to storage.`, error);
    }
  }

  async remove(): Promise<void> {
    try {
      await this.storage.removeItem(this.key);
    } catch (error) {
      devWarn(`Could not remove ${this.key} from storage.`, error);
    }
  }
}
