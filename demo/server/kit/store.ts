// The reference server's embedded store: named collections of JSON records, kept in memory and
// written to `{dir}/store.json` shortly after each change.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One named collection of JSON records, keyed by id. */
export interface Collection<T> {
  get(id: string): T | undefined;
  put(id: string, value: T): void;
  delete(id: string): boolean;
  values(): T[];
  find(predicate: (value: T) => boolean): T | undefined;
}

export interface Store {
  /** Collections are namespaced by the caller, e.g. `cloudbase.users`. */
  collection<T>(name: string): Collection<T>;
  /** Writes pending changes now (the server calls it on shutdown). */
  flush(): void;
}

/**
 * A real embedded store: JSON records in memory, written to `{dir}/store.json` (atomically,
 * through a rename) shortly after each change, and read back at start. Without `dir`, memory only.
 */
export function createStore(options: { dir?: string } = {}): Store {
  const file = options.dir ? join(options.dir, 'store.json') : null;
  let data: Record<string, Record<string, unknown>> = {};
  if (file) {
    mkdirSync(options.dir!, { recursive: true });
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      data = {};
      // A missing file is a first start; a corrupt one is kept aside for a person to look at.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        const aside = `${file}.corrupt-${Date.now()}`;
        try {
          renameSync(file, aside);
        } catch {
          /* nothing more to save */
        }
        console.error(`[reference server] ${file} was unreadable; moved to ${aside} and starting empty.`);
      }
    }
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!file) return;
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(data));
    renameSync(temp, file);
  };
  const changed = () => {
    if (!file || timer) return;
    timer = setTimeout(flush, 50);
    timer.unref?.();
  };
  return {
    flush,
    collection<T>(name: string): Collection<T> {
      const records = (data[name] ??= {}) as Record<string, T>;
      return {
        get: (id) => records[id],
        put: (id, value) => {
          records[id] = value;
          changed();
        },
        delete: (id) => {
          const had = id in records;
          delete records[id];
          if (had) changed();
          return had;
        },
        values: () => Object.values(records),
        find: (predicate) => Object.values(records).find(predicate),
      };
    },
  };
}
