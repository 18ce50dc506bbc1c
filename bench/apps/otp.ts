import '../../src/components/auth-otp/define.js';
import { configure } from '../../src/configure.js';
import { cloudbaseProvider } from '../../src/providers/cloudbase/cloudbase.js';

(globalThis as { benchClient?: unknown }).benchClient = configure({
  provider: cloudbaseProvider({ env: 'bench', baseUrl: `${location.origin}/idp/cloudbase` }),
});
