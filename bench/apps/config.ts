// The attribute path: <auth-config provider="zhuyun-idaas" …> resolves the provider by type
// through src/providers/registry.ts. The page's markup is in bench/pages.ts.
import '../../src/components/auth-config/define.js';
import '../../src/components/auth-password/define.js';
