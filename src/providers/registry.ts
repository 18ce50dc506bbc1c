import { AuthError, type Adapter, type BackendType, type Capabilities } from '../contract/index.js';
import type { ProviderConfig } from '../backends/index.js';
import { alibabaIdaasProvider } from './alibaba-idaas/index.js';
import { cloudbaseProvider } from './cloudbase/index.js';
import { janrainProvider } from './janrain/index.js';
import { oidcProvider } from './oidc/index.js';
import { tencentCiamProvider } from './tencent-ciam/index.js';
import { zhuyunIdaasProvider } from './zhuyun-idaas/index.js';

export type { ProviderConfig };

type Factory = (settings: never) => Adapter;

/**
 * Each backend's factory, from its own entry (`auth-elements/providers/<type>`): the backend's
 * facts now, its adapter as a chunk of its own on `load()`. A page (or an app) that names one
 * backend loads one adapter, when its client starts; until then the elements draw from the facts.
 */
const factories: Record<BackendType, Factory> = {
  oidc: oidcProvider,
  'zhuyun-idaas': zhuyunIdaasProvider,
  janrain: janrainProvider,
  cloudbase: cloudbaseProvider,
  'alibaba-idaas': alibabaIdaasProvider,
  'tencent-ciam': tencentCiamProvider,
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
  if (typeof type === 'string' && Object.hasOwn(factories, type)) return (factories[type as BackendType] as (settings: unknown) => Adapter)(config);
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
