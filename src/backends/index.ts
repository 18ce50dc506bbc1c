// Every backend's settings table, by `type`: what `<auth-config>` reads from its attributes.
// Small on purpose: no adapter code comes with it. Each backend's facts (key and capabilities,
// what the first view needs while the adapter is still loading) are apart, in ./facts.ts, which
// its own entry (src/providers/<type>/index.ts) reads without any table.
import type { BackendType } from '../contract/index.js';
import { alibabaIdaasSettings, type AlibabaIdaasSettings } from './alibaba-idaas.js';
import { cloudbaseSettings, type CloudbaseSettings } from './cloudbase.js';
import { janrainSettings, type JanrainSettings } from './janrain.js';
import { oidcSettings, type OidcSettings } from './oidc.js';
import type { SettingsTable } from './table.js';
import { tencentCiamSettings, type TencentCiamSettings } from './tencent-ciam.js';
import { zhuyunIdaasSettings, type ZhuyunIdaasSettings } from './zhuyun-idaas.js';

/** `options.provider` of `configure()`: the backend `type` and its settings. */
export type ProviderConfig =
  | ({ type: 'oidc' } & OidcSettings)
  | ({ type: 'zhuyun-idaas' } & ZhuyunIdaasSettings)
  | ({ type: 'janrain' } & JanrainSettings)
  | ({ type: 'cloudbase' } & CloudbaseSettings)
  | ({ type: 'alibaba-idaas' } & AlibabaIdaasSettings)
  | ({ type: 'tencent-ciam' } & TencentCiamSettings);

export const SETTINGS: Record<BackendType, SettingsTable> = {
  cloudbase: cloudbaseSettings,
  'tencent-ciam': tencentCiamSettings,
  'alibaba-idaas': alibabaIdaasSettings,
  'zhuyun-idaas': zhuyunIdaasSettings,
  janrain: janrainSettings,
  oidc: oidcSettings,
};
