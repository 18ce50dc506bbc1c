// The client's door to the network (timeouts, retries, `Retry-After`: ./http.ts) as a chunk that
// loads with the flows' chunk on the first action (or with a refresh due at start-up): a page's
// first view sends no request, so its code need not come before it.
import type { Http } from '../../contract/index.js';
import type { HttpOptions } from './http.js';
import { chunkOnce } from './once.js';

type HttpModule = Pick<typeof import('./http.js'), 'createHttp'>;

/**
 * `Http` whose code comes on `load()` (or with the first request); offline, a request fails as
 * `network` and the next one tries again. `code` is for tests: the chunk from elsewhere.
 */
export function httpOnDemand(options?: Partial<HttpOptions>, code: () => Promise<HttpModule> = () => import('./http.js')): Http & { load(): Promise<void> } {
  let real: Http | null = null;
  const chunk = chunkOnce(code);
  const load = () =>
    chunk().then((module) => {
      real ??= module.createHttp(options);
    });
  const http: Http = async (request) => {
    if (!real) await load();
    return real!(request);
  };
  return Object.assign(http, { load });
}
