// Akamai Identity Cloud / Janrain native Authentication API (PROVIDERS.md §5). It sends no CORS
// headers [C], so the page posts the same form-encoded calls here. When a sign-in answers with
// an authorization code (`response_type=code`), the relay exchanges it at `/oauth/token` with
// Basic client credentials [C] and hands the browser the tokens instead of the code.
import { RelayFailure } from '../failure.js';
import type { IdentifierSpec } from './identifiers.js';
import { base64, field, formBody, invalid, jsonResponse, okJson, parseJsonObject } from './shared.js';
import type { Backend, BackendContext, ParsedBody, Route, UpstreamResponse } from './types.js';

// The person's field depends on the form's fields in the flow config [C], which the relay cannot
// see (`resendVerificationForm` reads `signInEmailAddress` in Akamai's example, `emailAddress` in
// other flows). So every usual name present is counted: a decoy beside the real one adds a key,
// it never replaces it.
const PERSON: IdentifierSpec = {
  fields: { signInEmailAddress: 'login', emailAddress: 'login', email: 'login', username: 'login', signInUsername: 'login' },
};
const TOKEN_PATH = '/oauth/token';

export interface JanrainCredentials {
  clientId: string;
  clientSecret: string;
}

export function janrainBackend({ clientId, clientSecret }: JanrainCredentials): Backend {
  // Basic: base64(client_id:client_secret), no URL-encoding (seed 003).
  const basic = base64(`${clientId}:${clientSecret}`);

  /**
   * The browser receives the native answer with `authorization_code` removed and the token
   * endpoint's fields (`access_token`, `refresh_token`, `expires_in`, …) merged in, `stat: "ok"`.
   * A refused exchange is passed on as Janrain's own `stat: "error"` body.
   */
  async function exchangeCode(response: UpstreamResponse, body: ParsedBody, ctx: BackendContext): Promise<UpstreamResponse> {
    const native = parseJsonObject(response.body);
    // [?] §5.6 q1: the code's field name is not documented; `authorization_code` is the one seen.
    const code = native?.stat === 'ok' ? native.authorization_code : undefined;
    if (!native || typeof code !== 'string' || !code) return response;
    const params = new URLSearchParams({ grant_type: 'authorization_code', code });
    const redirectUri = field(body, 'redirect_uri'); // must equal the one the code was issued for
    if (redirectUri) params.set('redirect_uri', redirectUri);
    const tokenResponse = await ctx.fetch({
      method: 'POST',
      path: TOKEN_PATH,
      headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` }),
      body: formBody(params).raw,
    });
    const token = parseJsonObject(tokenResponse.body);
    if (!token || tokenResponse.status >= 500 || tokenResponse.status < 200 || (tokenResponse.status >= 300 && tokenResponse.status < 400)) {
      throw new RelayFailure('bad_gateway', 'The backend did not complete the code exchange.');
    }
    if (tokenResponse.status !== 200 || token.stat === 'error' || typeof token.access_token !== 'string') {
      return jsonResponse(tokenResponse.status, token);
    }
    const { authorization_code: _code, ...rest } = native;
    return jsonResponse(200, { ...rest, ...token, stat: 'ok' });
  }

  const signIn = (path: string, identifier?: IdentifierSpec): Route => ({
    method: 'POST',
    path,
    kind: 'signin',
    body: 'form',
    identifier,
    after: exchangeCode,
  });

  const routes: Route[] = [
    // client_id (the login client), flow, flow_version, locale, redirect_uri, response_type, form + fields [C].
    signIn('/oauth/auth_native_traditional', PERSON),
    signIn('/oauth/register_native_traditional', PERSON),
    // Social: the Social Login `token` [C].
    signIn('/oauth/auth_native'),
    signIn('/oauth/register_native'),
    // Emails a reset link / a verification link [C]; details of the second are [?].
    { method: 'POST', path: '/oauth/forgot_password_native', kind: 'send', body: 'form', identifier: PERSON },
    { method: 'POST', path: '/oauth/verify_email_native', kind: 'send', body: 'form', identifier: PERSON },
    // The code from an emailed link [C]; no authentication, so guessing is limited per client.
    { method: 'POST', path: '/access/useVerificationCode', kind: 'signin', body: 'form' },
    // A profile update with the person's access token [C: no API-client authentication]: here
    // the new password after a reset link. The form is forwarded unchanged.
    { method: 'POST', path: '/oauth/update_profile_native', kind: 'signin', body: 'form' },
    // Session refresh, and the code of a reset link (an authorization code [C], which reaches the
    // page in the emailed link), rebuilt here with only their own fields; Basic is added in send().
    // A sign-in's code never reaches the page: the relay exchanges it itself (exchangeCode).
    {
      method: 'POST',
      path: TOKEN_PATH,
      kind: 'other',
      body: 'form',
      prepare(body) {
        const grant = field(body, 'grant_type');
        if (grant === 'refresh_token') {
          const refreshToken = field(body, 'refresh_token');
          if (!refreshToken) throw invalid('refresh_token is required.');
          return formBody(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }));
        }
        if (grant === 'authorization_code') {
          const code = field(body, 'code');
          const redirectUri = field(body, 'redirect_uri');
          if (!code || !redirectUri) throw invalid('code and redirect_uri are required.');
          return formBody(new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }));
        }
        throw invalid('Only grant_type=refresh_token and authorization_code are relayed.');
      },
    },
  ];

  return {
    routes,
    headers: [],
    secrets: () => [clientSecret, basic],
    // HTTP 200 either way; `stat` says which [C]. After a code exchange, the merged answer.
    signInAccepted: (answer) => okJson(answer)?.stat === 'ok',
    send(call, ctx) {
      // Only the token endpoint takes the API client's credentials; the native calls use none.
      if (call.path === TOKEN_PATH) call.headers.set('authorization', `Basic ${basic}`);
      return ctx.fetch(call);
    },
  };
}
