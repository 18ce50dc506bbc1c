import { AuthError, type Adapter, type BackendType, type Capabilities } from '../contract/index.js';
import { FACTS, type ProviderConfig } from '../backends/index.js';
import { lazyAdapter } from './lazy.js';

export type { ProviderConfig };

type Factory = (settings: never) => Adapter;

/**
 * Each backend's adapter, as its own chunk: a page (or an app) that names one backend loads
 * one adapter, when its client starts. Until then the elements draw from the backend's facts.
 */
const loaders: Record<BackendType, () => Promise<Factory>> = {
  oidc: () => import('./oidc/oidc.js').then((m) => m.oidcProvider),
  'zhuyun-idaas': () => import('./zhuyun-idaas/zhuyun-idaas.js').then((m) => m.zhuyunIdaasProvider),
  janrain: () => import('./janrain/janrain.js').then((m) => m.janrainProvider),
  cloudbase: () => import('./cloudbase/cloudbase.js').then((m) => m.cloudbaseProvider),
  'alibaba-idaas': () => import('./alibaba-idaas/alibaba-idaas.js').then((m) => m.alibabaIdaasProvider),
  'tencent-ciam': () => import('./tencent-ciam/tencent-ciam.js').then((m) => m.tencentCiamProvider),
};

const none: Capabilities = { password: [], signUp: [], recovery: [], otp: [], oauth: [], popup: false, anonymous: false, refresh: false };

/**
 * Turns a `{ type, ...settings }` object into its adapter, whose code loads on demand (see
 * `Adapter.load`); an adapter made by its factory (`auth-elements/providers/<type>`) passes
 * through, and so does a factory's result wrapped in nothing else.
 */
export function resolveProvider(config: ProviderConfig | Adapter): Adapter {
  if (isProvider(config)) return config;
  const type = (config as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && Object.hasOwn(loaders, type)) {
    const known = type as BackendType;
    return lazyAdapter(known, FACTS[known](config as never), () => loaders[known]().then((factory) => (factory as (settings: unknown) => Adapter)(config)));
  }
  // An unusable configuration still yields a client, whose every action reports the reason.
  return {
    type: 'oidc',
    capabilities: none,
    key: `unavailable:${String(type)}`,
    configError: new AuthError('config', { providerCode: 'unknown_provider' }),
  };
}

function isProvider(value: unknown): value is Adapter {
  return typeof value === 'object' && value !== null && 'capabilities' in value && 'key' in value;
}
