import { baseUrlOf, setting, type BackendFacts, type SettingsOf } from './table.js';

/** Settings of the `zhuyun-idaas` provider (DESIGN.md, "Provider settings"). */
export const zhuyunIdaasSettings = {
  baseUrl: setting.string({ attribute: 'base-url', required: true, doc: 'The tenant domain (`https://{your_domain}`) or the relay.' }),
  clientId: setting.string({ attribute: 'client-id', required: true, doc: 'The application\'s `X-client-id`.' }),
  deviceId: setting.string({ attribute: 'device-id', doc: '`X-device-fingerprint`: a stable id for this browser; a random one per page when absent.' }),
  tenantId: setting.string({ attribute: 'tenant-id', doc: '`X-tenant-id`, for ISV applications only.' }),
};

export type ZhuyunIdaasSettings = SettingsOf<typeof zhuyunIdaasSettings>;

/** The key and capabilities of a `zhuyun-idaas` configuration (the adapter uses the same). */
export function zhuyunIdaasFacts(settings: ZhuyunIdaasSettings): BackendFacts {
  return {
    key: `zhuyun-idaas:${baseUrlOf(settings.baseUrl)}:${settings.tenantId ? `${settings.tenantId}:` : ''}${settings.clientId}`,
    // Only mobile + password has documented REST paths (§4.3); SMS login, username/email login,
    // recovery and MFA are "[?] paths" and so not offered. No refresh grant exists for
    // `session_token` (§4.3), so the session simply ends at `expire`.
    capabilities: { password: ['phone'], signUp: [], recovery: [], otp: [], oauth: [], popup: false, anonymous: false, refresh: false },
  };
}
