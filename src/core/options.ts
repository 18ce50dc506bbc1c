import type { Adapter, Language } from '../contract/index.js';
import type { Environment } from './environment.js';
import type { HttpOptions } from './util/http.js';
import type { RefreshTiming } from './refresh.js';
import type { StorageOption } from './storage.js';

export interface PasskeySettings {
  /** POST → registration options JSON (`<auth-webauthn-register>`). */
  optionsUrl?: string;
  /** POST the attestation JSON → `{ verified }`. */
  verifyUrl?: string;
  /** POST → authentication (request) options JSON (`<auth-passkey>`). */
  authenticationOptionsUrl?: string;
  /**
   * POST the assertion JSON → `{ verified: true, session: { access_token, token_type?,
   * expires_in?, refresh_token?, id_token?, user: { id, … } } }`, adopted with `setSession`.
   */
  authenticationVerifyUrl?: string;
  /**
   * The signed-in person's passkeys (`<auth-profile>`): GET → `[{ id, name?, created_at?,
   * last_used_at? }]` (times ISO 8601 or epoch milliseconds; `{ credentials: [...] }` also read),
   * DELETE `{credentialsUrl}/{id}` → 2xx. Both with the session's `Authorization: Bearer`.
   */
  credentialsUrl?: string;
}

export interface AuthClientOptions {
  /** The backend's adapter (`cloudbaseProvider(…)`, …); `configure()` also takes `{ type, …settings }`. */
  provider: Adapter;
  /** Where the session is kept: `'local'` (default), `'session'`, `'memory'` or an adapter. */
  storage?: StorageOption;
  /** Prefix of every storage key and the tab channel; the adapter's key is appended. */
  storageKey?: string;
  /** The language of `AuthError.message` (`'en'` or `'zh-CN'`); default: the page's. */
  lang?: Language;
  /** Complete a social or OIDC redirect found in the URL when the client starts (default true). */
  detectSessionInUrl?: boolean;
  /** Refresh before expiry on a timer (default true). */
  autoRefresh?: boolean;
  http?: Partial<HttpOptions>;
  refresh?: Partial<RefreshTiming>;
  passkeys?: PasskeySettings;
  /** For tests and non-browser hosts: the page's URL, navigation and visibility. */
  environment?: Environment;
}

export interface SignOutOptions {
  /** Visit the backend's sign-out page afterwards and come back here (OIDC end-session). */
  redirectTo?: string;
}

