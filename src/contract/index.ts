// The contract every layer shares (DESIGN.md, "Layers"): plain types and the error class, with
// no import from outside this folder. Core, adapters, elements and i18n all build on it.
export { AuthError, AuthErrorCode, isAuthError, rewordAuthError, toAuthError, type AuthErrorInit, type AuthResult, type FieldProblem, type FormField } from './errors.js';
export { BackendType, type Language, type Session, type TokenSet, type User, type LinkedIdentity } from './session.js';
export type { PasswordPolicy } from './policy.js';
export { isSecretName } from './secrets.js';
export { isStep, isStepRequired, StepRequired, type Channel, type OtpChallenge, type PendingStep, type SignInOutcome, type StepKind, type StepOrigin, type StepRequest } from './steps.js';
export type { Http, HttpRequest, HttpResponse } from './http.js';
export type { AccountCapabilities, Adapter, AdapterContext, AuthorizationRequest, Capabilities, CodeExchange, Identifier, OtpRequest, PasswordCredentials, RecoveryRequest, SignOutRequest, SignUpParams, UserAttributes } from './adapter.js';
export { AuthChangeEvent, type AuthErrorDetail, type AuthStateChangeCallback, type AuthStateChangeDetail, type ClientNotice, type Subscription } from './events.js';
