// `auth-elements/providers/alibaba-idaas`: this backend's adapter factory alone, so an app that uses it
// ships one adapter, and that one as a chunk: `configure({ provider: alibabaIdaasProvider({ … }) })`
// gives the client the backend's facts now (src/backends/alibaba-idaas.ts) and the adapter's code
// on `load()`, which the client starts at once (the same stand-in `{ type: 'alibaba-idaas', … }` gets).
import { alibabaIdaasFacts } from '../../backends/facts.js';
import type { AlibabaIdaasSettings } from '../../backends/alibaba-idaas.js';
import { lazyAdapter } from '../lazy.js';
import type { AlibabaIdaasProvider } from './alibaba-idaas.js';

export type { AlibabaIdaasProvider, AlibabaIdaasSettings };

/**
 * The `alibaba-idaas` adapter (see `./alibaba-idaas.ts`), its code loaded on demand; its own two
 * methods wait for that code when called first.
 */
export function alibabaIdaasProvider(settings: AlibabaIdaasSettings): AlibabaIdaasProvider {
  const adapter = lazyAdapter('alibaba-idaas', alibabaIdaasFacts(settings), () => import('./alibaba-idaas.js').then((m) => m.alibabaIdaasProvider(settings)));
  // `load()` copies the real methods over these.
  const provider: AlibabaIdaasProvider = Object.assign(adapter, {
    async newCaptcha(...args: Parameters<AlibabaIdaasProvider['newCaptcha']>) {
      await adapter.load?.();
      return provider.newCaptcha(...args);
    },
    async loginPageConfig(...args: Parameters<AlibabaIdaasProvider['loginPageConfig']>) {
      await adapter.load?.();
      return provider.loginPageConfig(...args);
    },
  });
  return provider;
}
