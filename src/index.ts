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
  type OtpResult,
  type OtpStarted,
  type PasskeySettings,
  type SignInResult,
  type SignInWithOtpParams,
  type SignOutOptions,
  type StepResult,
  type UserResult,
} from './core/client.js';
export { checkPassword } from './core/util/password-policy.js';
export {
  AuthChangeEvent,
  AuthError,
  AuthErrorCode,
  BackendType,
  BackendType as ProviderType,
  isAuthError,
  StepRequired,
  type Adapter,
  type Adapter as Provider,
  type AdapterContext,
  type AuthErrorDetail,
  type AuthErrorInit,
  type AuthResult,
  type AuthStateChangeCallback,
  type AuthStateChangeDetail,
  type AccountCapabilities,
  type Capabilities,
  type FieldProblem,
  type FormField,
  type Language,
  type OtpChallenge,
  type PasswordCredentials,
  type PasswordPolicy,
  type PendingStep,
  type Session,
  type StepRequest,
  type Subscription,
  type TokenSet,
  type LinkedIdentity,
  type User,
  type UserAttributes,
} from './contract/index.js';
export { memoryStorage, type StorageAdapter, type StorageOption } from './core/storage.js';
export { decodeJwt, type JwtClaims } from './core/util/jwt.js';
export { createPkce, pkceChallenge, randomString, type PkcePair } from './core/util/pkce.js';
export { describeError, formatDuration } from './i18n/english.js';
export { resolveProvider, type ProviderConfig } from './providers/registry.js';
export { oidcProvider, type OidcSettings } from './providers/oidc/index.js';
export { AuthConfig } from './components/auth-config/auth-config.js';
export { AuthLogin } from './components/auth-login/auth-login.js';
export { AuthUser } from './components/auth-user/auth-user.js';
export { AuthProfile } from './components/auth-profile/auth-profile.js';
export type { PasskeyCredential } from './core/passkey-credentials.js';
export { AuthPassword } from './components/auth-password/auth-password.js';
export { AuthOtp } from './components/auth-otp/auth-otp.js';
export { AuthSocial } from './components/auth-social/auth-social.js';
export { AuthWebauthnRegister } from './components/auth-webauthn-register/auth-webauthn-register.js';
export { AuthPasskey } from './components/auth-passkey/auth-passkey.js';
export { AuthController } from './components/base/auth-controller.js';
