import { setting, type BackendFacts, type SettingsOf } from './table.js';

/** Settings of the `cloudbase` provider (DESIGN.md, "Provider settings"). */
export const cloudbaseSettings = {
  env: setting.string({ attribute: 'env', required: true, doc: 'The environment id; also the default `client_id`.' }),
  region: setting.string({ attribute: 'region', doc: 'Default `ap-shanghai`; SMS codes work only there.' }),
  // `accessKey` is taken by HTMLElement (the accesskey attribute): the property has another name.
  accessKey: setting.string({ attribute: 'access-key', property: 'publishableKey', doc: 'The Publishable Key, meant for client code.' }),
  baseUrl: setting.string({ attribute: 'base-url', doc: 'Default `https://{env}.api.tcloudbasegateway.com`; `/auth/v1/…` is appended.' }),
  clientId: setting.string({ attribute: 'client-id', doc: 'Default: `env`.' }),
  providers: setting.list({ attribute: 'providers', doc: 'Social sources enabled in the console (`google github wx_open`), for `<auth-social>`.' }),
  deviceId: setting.string({ attribute: 'device-id', doc: 'A fixed `x-device-id`; by default one is generated and kept in localStorage.' }),
  redirectUri: setting.string({ attribute: 'redirect-uri', doc: 'Where a social sign-in returns; default: the current page.' }),
};

export type CloudbaseSettings = SettingsOf<typeof cloudbaseSettings>;

/** The key and capabilities of a `cloudbase` configuration (the adapter uses the same). */
export function cloudbaseFacts(settings: CloudbaseSettings): BackendFacts {
  const env = typeof settings.env === 'string' ? settings.env.trim() : '';
  // SMS codes, and so phone sign-up and recovery, work only in Shanghai (seed; PROVIDERS.md §6.2).
  const sms = (settings.region || 'ap-shanghai') === 'ap-shanghai';
  const sources = [...(settings.providers ?? [])];
  return {
    key: `cloudbase:${env}:${settings.clientId || env}`,
    capabilities: {
      password: ['username', 'email', 'phone'],
      // A username cannot sign up or recover: CloudBase sends a code to an email or a phone.
      signUp: sms ? ['email', 'phone'] : ['email'],
      recovery: sms ? ['email', 'phone'] : ['email'],
      otp: sms ? ['sms', 'email'] : ['email'],
      oauth: sources,
      popup: false,
      anonymous: true,
      refresh: true,
      // [?] A password change while signed in (the SDK's sudo, then /user/password) is not offered yet.
      account: { profile: ['name', 'picture'], email: true, phone: sms, password: false, identities: sources },
    },
  };
}
