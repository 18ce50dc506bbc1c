// Code that arrives as a chunk is fetched once; a fetch that fails (offline now) is forgotten, so
// that the next call tries again instead of repeating the failure for the life of the page.
import { AuthError } from '../../contract/index.js';

/** `load` run at most once at a time and kept once it succeeds; after a failure, run again on the next call. */
export function onceUnlessFailed<T>(load: () => Promise<T>): () => Promise<T> {
  let job: Promise<T> | null = null;
  return () =>
    (job ??= load().catch((error: unknown) => {
      job = null;
      throw error;
    }));
}

/** A chunk of the client's code, loaded as `onceUnlessFailed` does; one that cannot load is `network` (`chunk_not_loaded`). */
export function chunkOnce<T>(load: () => Promise<T>): () => Promise<T> {
  return onceUnlessFailed(() =>
    load().catch((cause: unknown) => {
      throw new AuthError('network', { providerCode: 'chunk_not_loaded', cause });
    }),
  );
}
