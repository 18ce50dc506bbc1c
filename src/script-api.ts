// What `window.AuthElements` holds: the same names as the ESM `index`.
export {
  configure,
  getClient,
  createAuthClient,
  AuthClient,
  AuthError,
  AuthErrorCode,
  isAuthError,
  AuthChangeEvent,
  ProviderType,
  memoryStorage,
  decodeJwt,
  oidcProvider,
  resolveProvider,
  AuthConfig,
  AuthPassword,
  AuthController,
} from './index.js';
