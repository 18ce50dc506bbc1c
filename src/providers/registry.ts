import { AuthError, type Adapter, type BackendType, type Capabilities } from '../contract/index.js';
import { oidcProvider } from './oidc/oidc.js';
import { zhuyunIdaasProvider } from './zhuyun-idaas/zhuyun-idaas.js';
import { janrainProvider } from './janrain/janrain.js';
import { cloudbaseProvider } from './cloudbase/cloudbase.js';
import { alibabaIdaasProvider } from './alibaba-idaas/alibaba-idaas.js';
import { tencentCiamProvider } from './tencent-ciam/tencent-ciam.js';
import type { ProviderConfig } from '../backends/index.js';

export type { ProviderConfig };

type Factory = (settings: never) => Adapter;

/** The adapters this build carries. */
const factories: Partial<Record<BackendType, Factory>> = {
  oidc: oidcProvider,
  'zhuyun-idaas': zhuyunIdaasProvider,
  janrain: janrainProvider,
  cloudbase: cloudbaseProvider,
  'alibaba-idaas': alibabaIdaasProvider,
  'tencent-ciam': tencentCiamProvider,
};

const none: Capabilities = { password: [], signUp: [], recovery: [], otp: [], oauth: [], popup: false, anonymous: false, refresh: false };

/** Turns a `{ type, ...settings }` object into its adapter; an adapter passes through. */
export function resolveProvider(config: ProviderConfig | Adapter): Adapter {
  if (isProvider(config)) return config;
  const type = (config as { type?: unknown } | null)?.type;
  const factory = typeof type === 'string' ? factories[type as BackendType] : undefined;
  if (factory) return (factory as (settings: unknown) => Adapter)(config);
  // An unusable configuration still yields a client, whose every action reports the reason.
  const known = typeof type === 'string' && ['cloudbase', 'tencent-ciam', 'alibaba-idaas', 'zhuyun-idaas', 'janrain'].includes(type);
  return {
    type: (known ? type : 'oidc') as BackendType,
    capabilities: none,
    key: `unavailable:${String(type)}`,
    configError: new AuthError('config', { providerCode: known ? 'provider_not_in_build' : 'unknown_provider' }),
  };
}

function isProvider(value: unknown): value is Adapter {
  return typeof value === 'object' && value !== null && 'capabilities' in value && 'key' in value;
}
