// Every backend's settings table, by `type`: what `<auth-config>` reads from its attributes.
// Small on purpose: no adapter code comes with it. FACTS gives what the first view needs
// (key and capabilities) while the adapter itself is still loading.
import type { BackendType } from '../contract/index.js';
import { alibabaIdaasFacts, alibabaIdaasSettings, type AlibabaIdaasSettings } from './alibaba-idaas.js';
import { cloudbaseFacts, cloudbaseSettings, type CloudbaseSettings } from './cloudbase.js';
import { janrainFacts, janrainSettings, type JanrainSettings } from './janrain.js';
import { oidcFacts, oidcSettings, type OidcSettings } from './oidc.js';
import type { BackendFacts, SettingsTable } from './table.js';
import { tencentCiamFacts, tencentCiamSettings, type TencentCiamSettings } from './tencent-ciam.js';
import { zhuyunIdaasFacts, zhuyunIdaasSettings, type ZhuyunIdaasSettings } from './zhuyun-idaas.js';

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

/** Each backend's key and capabilities from its settings, without its adapter's code. */
export const FACTS: Record<BackendType, (settings: never) => BackendFacts> = {
  cloudbase: cloudbaseFacts,
  'tencent-ciam': tencentCiamFacts,
  'alibaba-idaas': alibabaIdaasFacts,
  'zhuyun-idaas': zhuyunIdaasFacts,
  janrain: janrainFacts,
  oidc: oidcFacts,
};
