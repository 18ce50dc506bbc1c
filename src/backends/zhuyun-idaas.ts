import { setting, type SettingsOf } from './table.js';

/** Settings of the `zhuyun-idaas` provider (DESIGN.md, "Provider settings"). */
export const zhuyunIdaasSettings = {
  baseUrl: setting.string({ attribute: 'base-url', required: true, doc: 'The tenant domain (`https://{your_domain}`) or the relay.' }),
  clientId: setting.string({ attribute: 'client-id', required: true, doc: 'The application\'s `X-client-id`.' }),
  deviceId: setting.string({ attribute: 'device-id', doc: '`X-device-fingerprint`: a stable id for this browser; a random one per page when absent.' }),
  tenantId: setting.string({ attribute: 'tenant-id', doc: '`X-tenant-id`, for ISV applications only.' }),
};

export type ZhuyunIdaasSettings = SettingsOf<typeof zhuyunIdaasSettings>;
