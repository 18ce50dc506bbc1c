import { setting, type SettingsOf } from './table.js';

/** Settings of the `tencent-ciam` provider (DESIGN.md, "Provider settings"). */
export const tencentCiamSettings = {
  baseUrl: setting.string({ attribute: 'base-url', required: true, doc: 'The tenant portal, e.g. `https://sample.portal.tencentciam.com`.' }),
  relayUrl: setting.string({ attribute: 'relay-url', doc: 'The relay holding the Web app\'s credentials for `/otp/send` and the code exchange; default `baseUrl`.' }),
  clientId: setting.string({ attribute: 'client-id', required: true, doc: 'The application\'s client id (public: no secret in the page).' }),
  authSourceId: setting.string({ attribute: 'auth-source-id', doc: 'Password auth source: enables password sign-in.' }),
  smsAuthSourceId: setting.string({ attribute: 'sms-auth-source-id', doc: 'SMS auth source: enables codes by SMS.' }),
  emailAuthSourceId: setting.string({ attribute: 'email-auth-source-id', doc: 'Email auth source: enables codes by email.' }),
  redirectUri: setting.string({ attribute: 'redirect-uri', doc: 'Where the hosted portal sends the browser back (PKCE); default: the current page.' }),
};

export type TencentCiamSettings = SettingsOf<typeof tencentCiamSettings>;
