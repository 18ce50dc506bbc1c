// What `window.AuthElements` holds: the same names as the ESM `index`.
import type { Adapter } from './contract/index.js';
import type { OidcSettings } from './backends/oidc.js';
import { resolveProvider } from './providers/registry.js';
export {
  configure,
  getClient,
  setDefaultClient,
  createAuthClient,
  AuthClient,
  AuthError,
  AuthErrorCode,
  isAuthError,
  AuthChangeEvent,
  ProviderType,
  memoryStorage,
  decodeJwt,
  resolveProvider,
  AuthConfig,
  AuthLogin,
  AuthUser,
  AuthProfile,
  AuthPassword,
  AuthOtp,
  AuthSocial,
  AuthWebauthnRegister,
  AuthPasskey,
  AuthController,
} from './index.js';

/**
 * The OIDC adapter factory of the script tag: the same settings and the same adapter as the
 * ESM `oidcProvider`, whose code loads when its client starts (like every backend here).
 */
export const oidcProvider = (settings: OidcSettings): Adapter => resolveProvider({ ...settings, type: 'oidc' });
