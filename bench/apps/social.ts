import '../../src/components/auth-social/define.js';
import { configure } from '../../src/configure.js';
import { oidcProvider } from '../../src/providers/oidc/oidc.js';

(globalThis as { benchClient?: unknown }).benchClient = configure({
  provider: oidcProvider({ issuer: `${location.origin}/idp/oidc`, clientId: 'bench' }),
});
