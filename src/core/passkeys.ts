// Passkey ceremonies against the site's own backend: fetch options, run the WebAuthn ceremony
// with @simplewebauthn/browser, post the result back. Plain TypeScript (no Lit), and no static
// import of @simplewebauthn/browser: it is loaded on first use, so an element's first bundle
// stays small and importing this module in Node touches no DOM global.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { AuthError, isAuthError, toAuthError, type Http, type HttpResponse, type TokenSet, type User } from '../contract/index.js';
import { devWarn } from './util/dev.js';
import { parseRetryAfter } from './util/http.js';
import type { PasskeySettings } from './options.js';

/** The passkey URLs of a configuration (`configure({ passkeys })`). */
export type PasskeyEndpoints = PasskeySettings;

/** The two URLs of one ceremony. */
export interface PasskeyUrls {
  optionsUrl: string;
  verifyUrl: string;
}

export type Ceremony = 'registration' | 'authentication';

/**
 * A ceremony that ended without a result the person needs to worry about: they dismissed the
 * prompt or it timed out (`cancelled`), or this authenticator already holds a passkey for the
 * account (`exists`). Shown as a calm message, never as an error.
 */
export type CalmReason = 'cancelled' | 'exists';

/**
 * `{ data, error: null }`, or `{ data: null, error, calm }`. `calm` is set for the outcomes in
 * `CalmReason` (their `error.code` is `cancelled`, so forms do not show them in red); it is null
 * for a real failure, and for a cancel the person did not cause (the element left the page).
 */
export type CeremonyResult<T> = { data: T; error: null; calm?: undefined } | { data: null; error: AuthError; calm: CalmReason | null };

/** What this module uses of @simplewebauthn/browser (injectable for tests). */
export interface WebAuthnBrowser {
  startRegistration(options: { optionsJSON: PublicKeyCredentialCreationOptionsJSON }): Promise<RegistrationResponseJSON>;
  startAuthentication(options: { optionsJSON: PublicKeyCredentialRequestOptionsJSON; useBrowserAutofill?: boolean }): Promise<AuthenticationResponseJSON>;
  WebAuthnAbortService: { cancelCeremony(): void };
}

let loading: Promise<WebAuthnBrowser> | null = null;

/** Loads @simplewebauthn/browser once (a separate chunk in the ESM build). */
export function loadWebAuthn(): Promise<WebAuthnBrowser> {
  loading ??= import('@simplewebauthn/browser').catch((error: unknown) => {
    loading = null; // a failed chunk load (offline) may succeed on the next click
    throw error;
  });
  return loading;
}

/** Starts loading the WebAuthn code when a click looks likely (hover, focus), so the ceremony the click starts begins sooner. */
export function warmUpWebAuthn(): void {
  void loadWebAuthn().catch(() => {});
}

/** True where this browser can run WebAuthn at all. */
export function webAuthnSupported(): boolean {
  return typeof globalThis.PublicKeyCredential === 'function' && typeof globalThis.navigator?.credentials?.get === 'function';
}

/** True where the browser offers passkeys in input autofill (conditional mediation). */
export async function conditionalMediationAvailable(): Promise<boolean> {
  const PKC = globalThis.PublicKeyCredential as (typeof PublicKeyCredential & { isConditionalMediationAvailable?: () => Promise<boolean> }) | undefined;
  if (typeof PKC?.isConditionalMediationAvailable !== 'function') return false;
  try {
    return await PKC.isConditionalMediationAvailable();
  } catch {
    return false;
  }
}

/** The input autofill offers passkeys in: `autocomplete` ending in `webauthn` (as the spec and the library ask). */
export const WEBAUTHN_INPUT = 'input[autocomplete$="webauthn" i]';

/** The element attribute wins; else the configuration's setting; null when either URL is missing. */
export function registrationUrls(attributes: { optionsUrl?: string | null; verifyUrl?: string | null }, settings?: PasskeyEndpoints | null): PasskeyUrls | null {
  return pair(attributes.optionsUrl || settings?.optionsUrl, attributes.verifyUrl || settings?.verifyUrl);
}

/** The element attribute wins; else `authenticationOptionsUrl` / `authenticationVerifyUrl`. */
export function authenticationUrls(attributes: { optionsUrl?: string | null; verifyUrl?: string | null }, settings?: PasskeyEndpoints | null): PasskeyUrls | null {
  return pair(attributes.optionsUrl || settings?.authenticationOptionsUrl, attributes.verifyUrl || settings?.authenticationVerifyUrl);
}

function pair(optionsUrl: string | undefined | null, verifyUrl: string | undefined | null): PasskeyUrls | null {
  return optionsUrl && verifyUrl ? { optionsUrl, verifyUrl } : null;
}

/** The error for missing URLs, named after the attributes and settings that would fix it. */
export function missingUrls(ceremony: Ceremony): AuthError {
  const settings = ceremony === 'registration' ? 'passkeys.optionsUrl / passkeys.verifyUrl' : 'passkeys.authenticationOptionsUrl / passkeys.authenticationVerifyUrl';
  devWarn(`Passkey ${ceremony} needs the options-url and verify-url attributes, or ${settings} in configure().`);
  return new AuthError('config', { providerCode: 'missing_passkey_urls' });
}

const calm = (reason: CalmReason, cause?: unknown): { data: null; error: AuthError; calm: CalmReason } => ({
  data: null,
  error: new AuthError('cancelled', {
    providerCode: (cause as Error | undefined)?.name,
    cause,
  }),
  calm: reason,
});

const failure = (error: AuthError): { data: null; error: AuthError; calm: null } => ({ data: null, error, calm: null });

/**
 * What a failed `startRegistration` / `startAuthentication` means for the person. The library
 * rethrows the browser's DOMException as a `WebAuthnError` that keeps its `name`.
 */
export function classifyWebAuthnError(error: unknown, ceremony: Ceremony): CeremonyResult<never> {
  const name = (error as { name?: string } | null)?.name ?? '';
  const code = (error as { code?: string } | null)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  // NotAllowedError covers both "dismissed" and "timed out"; the browser does not say which.
  if (name === 'NotAllowedError' || name === 'AbortError' || code === 'ERROR_CEREMONY_ABORTED') return calm('cancelled', error);
  if (ceremony === 'registration' && (name === 'InvalidStateError' || code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED')) return calm('exists', error);
  if (name === 'SecurityError' || name === 'TypeError' || /ERROR_INVALID_(DOMAIN|RP_ID|USER_ID_LENGTH)|ERROR_MALFORMED/.test(code)) {
    return failure(new AuthError('config', { providerCode: code || name, cause: error }));
  }
  if (name === 'NotSupportedError' || name === 'ConstraintError' || /not supported/i.test(message)) {
    return failure(new AuthError('unsupported', { providerCode: code || name, cause: error }));
  }
  return failure(toAuthError(error));
}

/**
 * The `AuthError` of a non-2xx answer of the passkey service. Bodies follow the reference
 * server: `{ verified: false, error, message? }`.
 */
export function responseError(response: HttpResponse, ceremony: Ceremony): AuthError {
  const body = isObject(response.body) ? response.body : {};
  const providerCode = typeof body.error === 'string' ? body.error : undefined;
  const init = { providerCode, status: response.status };
  const { status } = response;
  if (status === 429 || status === 503) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    return new AuthError(status === 429 || retryAfter !== undefined ? 'rate_limited' : 'server', { ...init, retryAfter });
  }
  // Registration needs the session: a refused bearer means the session is over.
  if (status === 401 || status === 403) return new AuthError(ceremony === 'registration' ? 'session_expired' : 'invalid_credentials', init);
  if (status >= 500) return new AuthError('server', init);
  // A passkey the server does not know or could not verify: the sign-in details are wrong.
  if (ceremony === 'authentication' && status < 500) return new AuthError('invalid_credentials', init);
  return new AuthError('invalid_request', init);
}

/** `{ verified: true, credentialId? }` → the credential id (else the one we sent). */
export function readRegistrationResult(body: unknown, sentId: string): { credentialId: string } | AuthError {
  if (!isObject(body)) return new AuthError('server');
  if (body.verified !== true) return new AuthError('invalid_request', { providerCode: typeof body.error === 'string' ? body.error : undefined });
  return { credentialId: typeof body.credentialId === 'string' && body.credentialId ? body.credentialId : sentId };
}

/**
 * The sign-in answer's contract: `{ verified: true, session: { access_token, token_type?,
 * expires_in?, refresh_token?, id_token?, user: { id, … } } }` → the tokens for `setSession`.
 */
export function readAuthenticationResult(body: unknown): (TokenSet & { user: User }) | AuthError {
  if (!isObject(body)) return new AuthError('server');
  if (body.verified !== true) return new AuthError('invalid_credentials', { providerCode: typeof body.error === 'string' ? body.error : undefined });
  const session = body.session;
  if (!isObject(session) || typeof session.access_token !== 'string' || !session.access_token) {
    return new AuthError('server', { providerCode: 'no_session' });
  }
  const user = session.user;
  const id = isObject(user) && (typeof user.id === 'string' || typeof user.id === 'number') ? String(user.id) : '';
  if (!id) return new AuthError('server', { providerCode: 'no_user' });
  const tokens: TokenSet & { user: User } = { access_token: session.access_token, user: { ...(user as object), id } };
  if (typeof session.token_type === 'string' && session.token_type) tokens.token_type = session.token_type;
  const expiresIn = Number(session.expires_in);
  if (session.expires_in !== undefined && Number.isFinite(expiresIn) && expiresIn > 0) tokens.expires_in = expiresIn;
  if (typeof session.refresh_token === 'string' && session.refresh_token) tokens.refresh_token = session.refresh_token;
  if (typeof session.id_token === 'string' && session.id_token) tokens.id_token = session.id_token;
  return tokens;
}

/** Registration options must at least name a challenge and a user; anything else is a misconfigured URL. */
export function isCreationOptions(value: unknown): value is PublicKeyCredentialCreationOptionsJSON {
  return isObject(value) && typeof value.challenge === 'string' && isObject(value.user) && isObject(value.rp);
}

export function isRequestOptions(value: unknown): value is PublicKeyCredentialRequestOptionsJSON {
  return isObject(value) && typeof value.challenge === 'string';
}

interface CallOptions {
  http: Http;
  signal?: AbortSignal;
  /** The session's access token, sent as `Authorization: Bearer`. */
  accessToken?: string;
  /** Replaces the dynamic import of @simplewebauthn/browser (tests). */
  webauthn?: () => Promise<WebAuthnBrowser>;
}

/**
 * Registers a passkey for the signed-in person: options → `startRegistration` → verify.
 * Must be started from a user gesture (Safari refuses WebAuthn otherwise).
 */
export async function registerPasskey(options: CallOptions & { urls: PasskeyUrls }): Promise<CeremonyResult<{ credentialId: string }>> {
  const { http, urls, signal } = options;
  // Library and options in parallel: the ceremony must start soon after the click.
  const [library, creation] = await Promise.all([load(options), post(http, urls.optionsUrl, {}, options, 'registration')]);
  if (library.error) return library;
  if (creation.error) return creation;
  if (!isCreationOptions(creation.data)) return failure(new AuthError('server'));
  if (signal?.aborted) return quiet(signal);
  let attestation: RegistrationResponseJSON;
  try {
    attestation = await ceremony(library.data, signal, () => library.data.startRegistration({ optionsJSON: creation.data as PublicKeyCredentialCreationOptionsJSON }));
  } catch (error) {
    return signal?.aborted ? quiet(signal) : classifyWebAuthnError(error, 'registration');
  }
  const verified = await post(http, urls.verifyUrl, attestation, options, 'registration');
  if (verified.error) return verified;
  const result = readRegistrationResult(verified.data, attestation.id);
  return isAuthError(result) ? failure(result) : { data: result, error: null };
}

/**
 * Asks the authenticator for an assertion: options → `startAuthentication`. With `autofill`,
 * the request waits for the person to pick a passkey in an input's autofill (conditional UI).
 */
export async function requestAssertion(options: CallOptions & { urls: PasskeyUrls; autofill?: boolean }): Promise<CeremonyResult<AuthenticationResponseJSON>> {
  const { http, urls, signal } = options;
  const [library, request] = await Promise.all([load(options), post(http, urls.optionsUrl, {}, options, 'authentication')]);
  if (library.error) return library;
  if (request.error) return request;
  if (!isRequestOptions(request.data)) return failure(new AuthError('server'));
  // Checked right before the call: a conditional request must never start after a click began
  // its own ceremony (the library would abort the click's ceremony for it).
  if (signal?.aborted) return quiet(signal);
  try {
    const assertion = await ceremony(library.data, signal, () =>
      library.data.startAuthentication({ optionsJSON: request.data as PublicKeyCredentialRequestOptionsJSON, ...(options.autofill ? { useBrowserAutofill: true } : {}) }),
    );
    return { data: assertion, error: null };
  } catch (error) {
    return signal?.aborted ? quiet(signal) : classifyWebAuthnError(error, 'authentication');
  }
}

/** Posts the assertion; the answer must carry a session (see `readAuthenticationResult`). */
export async function verifyAssertion(options: CallOptions & { urls: PasskeyUrls; assertion: AuthenticationResponseJSON }): Promise<CeremonyResult<TokenSet & { user: User }>> {
  const verified = await post(options.http, options.urls.verifyUrl, options.assertion, options, 'authentication');
  if (verified.error) return verified;
  const result = readAuthenticationResult(verified.data);
  return isAuthError(result) ? failure(result) : { data: result, error: null };
}

// ── internals ─────────────────────────────────────────────────────────────

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Cancelled by the caller (a second click, the element left the page): nothing to tell anyone. */
function quiet(signal: AbortSignal): { data: null; error: AuthError; calm: null } {
  return failure(new AuthError('cancelled', { cause: signal.reason }));
}

async function load(options: CallOptions): Promise<CeremonyResult<WebAuthnBrowser>> {
  try {
    return { data: await (options.webauthn ?? loadWebAuthn)(), error: null };
  } catch (error) {
    return failure(new AuthError('network', { cause: error }));
  }
}

/** Runs one ceremony; the caller's abort cancels it (only while it is the one in flight). */
async function ceremony<T>(library: WebAuthnBrowser, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  const cancel = () => library.WebAuthnAbortService.cancelCeremony();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await run();
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

async function post(http: Http, url: string, body: unknown, options: CallOptions, kind: Ceremony): Promise<CeremonyResult<unknown>> {
  if (options.signal?.aborted) return quiet(options.signal);
  const headers: Record<string, string> = {};
  if (options.accessToken) headers.authorization = `Bearer ${options.accessToken}`;
  let response: HttpResponse;
  try {
    // Not retried: a challenge is one-shot, and a verify must not be replayed.
    response = await http({ url, method: 'POST', body, headers, signal: options.signal, retry: false });
  } catch (error) {
    const failed = toAuthError(error, 'network');
    return options.signal?.aborted ? quiet(options.signal) : failure(failed);
  }
  if (response.status < 200 || response.status >= 300) return failure(responseError(response, kind));
  if (response.body === undefined) return failure(new AuthError('server', { status: response.status }));
  return { data: response.body, error: null };
}
