import { AuthError } from '../core/errors.js';
import type { ProviderType } from '../core/session.js';
import { oidcProvider, type OidcSettings } from './oidc/oidc.js';
import { zhuyunIdaasProvider, type ZhuyunIdaasSettings } from './zhuyun-idaas/zhuyun-idaas.js';
import { janrainProvider, type JanrainSettings } from './janrain/janrain.js';
import { cloudbaseProvider, type CloudbaseSettings } from './cloudbase/cloudbase.js';
import { alibabaIdaasProvider, type AlibabaIdaasSettings } from './alibaba-idaas/alibaba-idaas.js';
import { tencentCiamProvider, type TencentCiamSettings } from './tencent-ciam/tencent-ciam.js';
import type { Capabilities, Provider } from './provider.js';

/** `options.provider` of `configure()`: the backend `type` and its settings. */
export type ProviderConfig =
  | ({ type: 'oidc' } & OidcSettings)
  | ({ type: 'zhuyun-idaas' } & ZhuyunIdaasSettings)
  | ({ type: 'janrain' } & JanrainSettings)
  | ({ type: 'cloudbase' } & CloudbaseSettings)
  | ({ type: 'alibaba-idaas' } & AlibabaIdaasSettings)
  | ({ type: 'tencent-ciam' } & TencentCiamSettings);

type Factory = (settings: never) => Provider;

/** The adapters this build carries. */
const factories: Partial<Record<ProviderType, Factory>> = {
  oidc: oidcProvider,
  'zhuyun-idaas': zhuyunIdaasProvider,
  janrain: janrainProvider,
  cloudbase: cloudbaseProvider,
  'alibaba-idaas': alibabaIdaasProvider,
  'tencent-ciam': tencentCiamProvider,
};

const none: Capabilities = { password: [], signUp: false, recovery: false, otp: [], oauth: [], popup: false, anonymous: false, refresh: false };

/** Turns a `{ type, ...settings }` object into its adapter; a Provider object passes through. */
export function resolveProvider(config: ProviderConfig | Provider): Provider {
  if (isProvider(config)) return config;
  const type = (config as { type?: unknown } | null)?.type;
  const factory = typeof type === 'string' ? factories[type as ProviderType] : undefined;
  if (factory) return (factory as (settings: unknown) => Provider)(config);
  // An unusable configuration still yields a client, whose every action reports the reason.
  const known = typeof type === 'string' && ['cloudbase', 'tencent-ciam', 'alibaba-idaas', 'zhuyun-idaas', 'janrain'].includes(type);
  return {
    type: (known ? type : 'oidc') as ProviderType,
    capabilities: none,
    key: `unavailable:${String(type)}`,
    configError: new AuthError('config', known ? `The ${String(type)} provider is not available in this build yet.` : `Unknown provider type "${String(type)}".`, { providerCode: 'unknown_provider' }),
  };
}

function isProvider(value: unknown): value is Provider {
  return typeof value === 'object' && value !== null && 'capabilities' in value && 'key' in value;
}
