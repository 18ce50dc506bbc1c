// `auth-elements/providers/zhuyun-idaas`: this backend's adapter factory alone, so an app that uses it
// ships one adapter, and that one as a chunk: `configure({ provider: zhuyunIdaasProvider({ … }) })` gives the
// client the backend's facts now (src/backends/zhuyun-idaas.ts) and the adapter's code on `load()`,
// which the client starts at once (the same stand-in `{ type: 'zhuyun-idaas', … }` gets).
import { zhuyunIdaasFacts } from '../../backends/facts.js';
import type { Adapter } from '../../contract/index.js';
import type { ZhuyunIdaasSettings } from '../../backends/zhuyun-idaas.js';
import { lazyAdapter } from '../lazy.js';

export type { ZhuyunIdaasSettings };

/** The `zhuyun-idaas` adapter (see `./zhuyun-idaas.ts`), its code loaded on demand. */
export function zhuyunIdaasProvider(settings: ZhuyunIdaasSettings): Adapter {
  return lazyAdapter('zhuyun-idaas', zhuyunIdaasFacts(settings), () => import('./zhuyun-idaas.js').then((m) => m.zhuyunIdaasProvider(settings)));
}
