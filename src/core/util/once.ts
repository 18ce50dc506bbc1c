// Code that arrives as a chunk is fetched once; a fetch that fails (offline now) is forgotten, so
// that the next call tries again instead of repeating the failure for the life of the page.

/** `load` run at most once at a time and kept once it succeeds; after a failure, run again on the next call. */
export function onceUnlessFailed<T>(load: () => Promise<T>): () => Promise<T> {
  let job: Promise<T> | null = null;
  return () =>
    (job ??= load().catch((error: unknown) => {
      job = null;
      throw error;
    }));
}
