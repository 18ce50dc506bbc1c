import { AuthError, type AdapterContext, type AuthErrorCode, type AuthorizationRequest, type HttpResponse, type TokenSet } from '../../contract/index.js';
import { navigableUrl } from '../../core/util/url.js';
import { fallbackCode, readString, transportFailure } from './responses.js';

/** RFC 6749 §5.2 and OIDC Core §3.1.2.6 error codes onto ours (PROVIDERS.md §7). */
const OAUTH_ERRORS: Record<string, AuthErrorCode> = {
  invalid_request: 'invalid_request',
  unsupported_grant_type: 'invalid_request',
  invalid_scope: 'invalid_request',
  unsupported_response_type: 'invalid_request',
  invalid_client: 'config',
  unauthorized_client: 'config',
  redirect_uri_mismatch: 'config',
  access_denied: 'cancelled',
  login_required: 'session_expired',
  interaction_required: 'session_expired',
  consent_required: 'session_expired',
  account_selection_required: 'session_expired',
  server_error: 'server',
  temporarily_unavailable: 'server',
};

/**
 * `invalid_grant` means the code (during a code exchange) or the refresh token (during a
 * refresh) is no good: the caller says which.
 */
export function oauthError(response: HttpResponse, grant: 'code' | 'refresh' | 'other'): AuthError {
  const early = transportFailure(response);
  if (early) return early;
  const error = readString(response.body, 'error');
  let code: AuthErrorCode;
  if (error === 'invalid_grant') code = grant === 'refresh' ? 'session_expired' : grant === 'code' ? 'code_expired' : 'invalid_credentials';
  // Own keys only: an `error` of "constructor" must not reach Object.prototype.
  else code = (error && Object.hasOwn(OAUTH_ERRORS, error) ? OAUTH_ERRORS[error] : undefined) || fallbackCode(response.status);
  return new AuthError(code, { providerCode: error, status: response.status });
}

/** POSTs a form to a token endpoint and returns the token set, or throws the mapped error. */
export async function tokenRequest(url: string, form: Record<string, string | undefined>, grant: 'code' | 'refresh' | 'other', ctx: AdapterContext): Promise<TokenSet> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value !== undefined) body.set(key, value);
  // A code or a rotated refresh token works once: never resend one on our own.
  const response = await ctx.http({ url, method: 'POST', body, signal: ctx.signal, retry: false });
  if (response.status !== 200) throw oauthError(response, grant);
  return readTokens(response);
}

export function readTokens(response: HttpResponse): TokenSet {
  const body = response.body as Record<string, unknown> | undefined;
  const access = readString(body, 'access_token');
  if (!access) throw transportFailure(response) ?? new AuthError('server', { status: response.status });
  const tokens: TokenSet = { access_token: access, token_type: readString(body, 'token_type') ?? 'Bearer' };
  const expiresIn = Number(body?.expires_in);
  if (Number.isFinite(expiresIn) && expiresIn > 0) tokens.expires_in = expiresIn;
  const refresh = readString(body, 'refresh_token');
  if (refresh) tokens.refresh_token = refresh;
  const idToken = readString(body, 'id_token');
  if (idToken) tokens.id_token = idToken;
  return tokens;
}

/** An authorization-code request with PKCE (S256), `state` and `nonce` (RFC 6749 §4.1.1, RFC 7636). */
export function authorizationCodeUrl(endpoint: string, clientId: string, defaultScope: string, request: AuthorizationRequest): string {
  // Discovery or a setting names the page; the browser must not be sent to a `javascript:` one.
  const url = new URL(navigableUrl(endpoint));
  const params: Record<string, string> = {
    ...request.queryParams,
    response_type: 'code',
    client_id: clientId,
    redirect_uri: request.redirectUri,
    scope: request.scopes ?? defaultScope,
    state: request.state,
    nonce: request.nonce,
    code_challenge: request.codeChallenge,
    code_challenge_method: request.codeChallengeMethod,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}
