// Each backend's facts: what its first view needs before the adapter's code is here (the key that
// names its stored session, and its capabilities), from the settings alone. They live apart from
// the settings tables (./<type>.ts), which only `<auth-config>` and the adapters read: an app that
// gives `configure()` one backend's adapter ships no table.
import type { Capabilities } from '../contract/index.js';
import type { AlibabaIdaasSettings } from './alibaba-idaas.js';
import type { CloudbaseSettings } from './cloudbase.js';
import type { JanrainSettings } from './janrain.js';
import type { OidcSettings } from './oidc.js';
import type { TencentCiamSettings } from './tencent-ciam.js';
import type { ZhuyunIdaasSettings } from './zhuyun-idaas.js';

/**
 * What a backend's first view needs before its adapter's code is here (the script tag loads
 * adapters on demand): the configuration's key and its capabilities, from the settings alone.
 * The adapter takes both from the same function, so the two always agree.
 */
export interface BackendFacts {
  key: string;
  capabilities: Capabilities;
}

/**
 * A base URL as every adapter uses it: trimmed, without trailing slashes, http(s) only; '' when
 * absent or not such a URL (the adapter's table then reports it).
 */
export function baseUrlOf(value: unknown): string {
  if (typeof value !== 'string') return '';
  const trimmed = value.trim().replace(/\/+$/, '');
  try {
    const url = new URL(trimmed);
    return url.protocol === 'https:' || url.protocol === 'http:' ? trimmed : '';
  } catch {
    return '';
  }
}

/** The key and capabilities of an `alibaba-idaas` configuration (the adapter uses the same). */
export function alibabaIdaasFacts(settings: AlibabaIdaasSettings): BackendFacts {
  const sources = Array.isArray(settings.socialSources) ? settings.socialSources : [];
  return {
    key: `alibaba-idaas:${baseUrlOf(settings.baseUrl)}:${settings.idaasAppId}`,
    capabilities: {
      // [?] the docs name the field `username` only; the reference server also takes a phone or email there.
      password: ['username', 'phone', 'email'],
      // Registration is by a code sent to a contact (§2.3 register/obtain_code, register/submit).
      signUp: ['phone', 'email'],
      // By a code to the phone or email: documented as an operation [C], its paths [?] (codes.ts).
      recovery: ['phone', 'email'],
      otp: ['sms', 'email'],
      oauth: sources.map((s) => s.enterpriseAuthId),
      popup: false,
      anonymous: false,
      refresh: true,
    },
  };
}

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

/** The key and capabilities of a `janrain` configuration (the adapter uses the same). */
export function janrainFacts(settings: JanrainSettings): BackendFacts {
  return {
    key: `janrain:${baseUrlOf(settings.baseUrl)}:${settings.clientId}`,
    capabilities: {
      password: ['email'],
      signUp: ['email'],
      // forgot_password_native emails a link back to redirectUri (§5.3); the link opens the new password.
      recovery: ['email'],
      otp: [],
      // Social sign-in needs a Social Login token from Akamai's legacy JavaScript SDK (README).
      oauth: [],
      popup: false,
      anonymous: false,
      refresh: true,
      // Only with its own landing page: the two links cannot be told apart otherwise (links.ts).
      verifyEmail: !!settings.verifyEmailUri,
    },
  };
}

/** The key and capabilities of an `oidc` configuration (the adapter uses the same). */
export function oidcFacts(settings: OidcSettings): BackendFacts {
  return {
    key: `oidc:${baseUrlOf(settings.issuer ?? settings.baseUrl)}:${settings.clientId}`,
    capabilities: {
      password: [],
      signUp: [],
      recovery: [],
      otp: [],
      oauth: ['oidc'],
      // The redirect page hands the callback back to the window that opened it (core/flows/popup.ts).
      popup: true,
      anonymous: false,
      refresh: true,
    },
  };
}
