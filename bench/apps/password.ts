// A user's app as the README tells it: the element's entry plus configure() with one provider.
import '../../src/components/auth-password/define.js';
import { configure } from '../../src/configure.js';
import { zhuyunIdaasProvider } from '../../src/providers/zhuyun-idaas/zhuyun-idaas.js';

(globalThis as { benchClient?: unknown }).benchClient = configure({
  provider: zhuyunIdaasProvider({ baseUrl: `${location.origin}/idp/zhuyun`, clientId: 'bench' }),
});
