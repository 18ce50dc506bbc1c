import { setting, type SettingsOf } from './table.js';

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
