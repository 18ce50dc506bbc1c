// The public API, by name. Importing this module defines no element and touches no DOM global;
// import 'auth-elements/define' (or one element's entry) to register the tags.
export { configure, getClient, createAuthClient, type ConfigureOptions } from './configure.js';
export { setDefaultClient } from './default-client.js';
export {
  AuthClient,
  type AuthClientOptions,
  type AuthState,
  type AuthStatus,
  type ActionOptions,
  type OAuthSignInParams,
  type SignOutOptions,
  type PasskeySettings,
  type SignInResult,
  type OtpStarted,
  type SignInWithOtpParams,
} from './core/client.js';
export { checkPassword, type PendingStep, type PasswordPolicy, type OtpChallenge } from './core/steps.js';
export { AuthError, AuthErrorCode, isAuthError, type AuthErrorInit, type AuthResult } from './core/errors.js';
export {
  AuthChangeEvent,
  type AuthStateChangeCallback,
  type AuthStateChangeDetail,
  type AuthErrorDetail,
  type Subscription,
} from './core/events.js';
export { ProviderType, type Session, type User, type TokenSet } from './core/session.js';
export { memoryStorage, type StorageAdapter, type StorageOption } from './core/storage.js';
export { decodeJwt, type JwtClaims } from './core/jwt.js';
export { createPkce, pkceChallenge, randomString, type PkcePair } from './core/pkce.js';
export { resolveProvider, type ProviderConfig } from './providers/registry.js';
export { oidcProvider, type OidcSettings } from './providers/oidc/oidc.js';
export type { Provider, Capabilities, PasswordCredentials } from './providers/provider.js';
export { AuthConfig } from './components/auth-config/auth-config.js';
export { AuthPassword } from './components/auth-password/auth-password.js';
export { AuthOtp } from './components/auth-otp/auth-otp.js';
export { AuthSocial } from './components/auth-social/auth-social.js';
export { AuthWebauthnRegister } from './components/auth-webauthn-register/auth-webauthn-register.js';
export { AuthPasskey } from './components/auth-passkey/auth-passkey.js';
export { AuthController } from './components/base/auth-controller.js';
