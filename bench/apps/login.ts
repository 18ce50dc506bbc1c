// Our ESM path, as README's "One backend, smallest bundle" tells an app to write it: configure()
// with one backend's entry, and the <auth-login> element. `auth-elements/…` resolves through
// package.json "exports" to dist/ (npm run bench builds it first), as it would in an app.
import { configure } from 'auth-elements';
import { zhuyunIdaasProvider } from 'auth-elements/providers/zhuyun-idaas';
import 'auth-elements/auth-login';

(globalThis as { benchClient?: unknown }).benchClient = configure({
  provider: zhuyunIdaasProvider({ baseUrl: `${location.origin}/idp/zhuyun`, clientId: 'bench' }),
});
