import { baseUrlOf, setting, type BackendFacts, type SettingsOf } from './table.js';

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

/** The key and capabilities of a `tencent-ciam` configuration (the adapter uses the same). */
export function tencentCiamFacts(settings: TencentCiamSettings): BackendFacts {
  const { authSourceId, smsAuthSourceId, emailAuthSourceId } = settings;
  // Sign-up and reset prove a phone or email by a code the relay sends, then the person signs in
  // with the password: offered for the channels codes go out on, where password sign-in exists.
  const byCode = authSourceId ? [...(smsAuthSourceId ? (['phone'] as const) : []), ...(emailAuthSourceId ? (['email'] as const) : [])] : [];
  return {
    key: `tencent-ciam:${baseUrlOf(settings.baseUrl)}:${settings.clientId}`,
    capabilities: {
      // [?] Which identifiers a password auth source accepts is a tenant setting the docs do not
      // show; `username` is sent as typed, so all three are offered.
      password: authSourceId ? ['username', 'email', 'phone'] : [],
      signUp: [...byCode],
      recovery: [...byCode],
      otp: [...(smsAuthSourceId ? (['sms'] as const) : []), ...(emailAuthSourceId ? (['email'] as const) : [])],
      oauth: ['oidc'],
      // The hosted portal is standard OIDC: it can finish in a popup.
      popup: true,
      anonymous: false,
      refresh: true,
      // POST /change_user_password with the access token [C] (SPA supported).
      account: { profile: [], email: false, phone: false, password: !!authSourceId, identities: [] },
    },
  };
}
