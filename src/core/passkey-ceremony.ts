// Passkey ceremonies against the site's own backend: fetch options, run the WebAuthn ceremony
// with @simplewebauthn/browser, post the result back. Plain TypeScript (no Lit). This module is
// itself a chunk, loaded with the first passkey action (core/passkeys.ts holds what a first view
// needs: the support checks and the URLs), and it loads @simplewebauthn/browser on first use.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { AuthError, isAuthError, toAuthError, type Http, type HttpResponse, type TokenSet, type User } from '../contract/index.js';
import { isObject, responseError, type Ceremony } from './passkey-response.js';
import { onceUnlessFailed } from './util/once.js';

export type { Ceremony };

/** The two URLs of one ceremony. */
export interface PasskeyUrls {
  optionsUrl: string;
  verifyUrl: string;
}

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

/** Loads @simplewebauthn/browser once (a separate chunk in the ESM build); a failed load (offline) is tried again on the next click. */
export const loadWebAuthn = onceUnlessFailed((): Promise<WebAuthnBrowser> => import('@simplewebauthn/browser'));

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

export interface CallOptions {
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
