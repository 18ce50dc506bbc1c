import { baseUrlOf, oidcFacts } from '../../backends/facts.js';
import { AuthError, type Adapter, type AdapterContext, type AuthorizationRequest, type CodeExchange, type Session, type SignOutRequest, type TokenSet, type User } from '../../contract/index.js';
import { decodeJwt } from '../../core/util/jwt.js';
import { userFromClaims } from '../../core/util/session.js';
import { navigableUrl } from '../../core/util/url.js';
import { authorizationCodeUrl, oauthError, tokenRequest } from '../shared/oauth.js';
import { readString, transportFailure } from '../shared/responses.js';
import { checkConfiguration } from '../../backends/check.js';
import { oidcSettings, type OidcSettings } from '../../backends/oidc.js';

export type { OidcSettings };

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
  revocation_endpoint?: string;
}

/**
 * Any standards OpenID provider: authorization code + PKCE for a public client (no secret), in
 * a redirect or a popup; the person's profile from userinfo; refresh, revocation and
 * RP-initiated logout, all found through discovery.
 *
 * @example
 * createAuthClient({ provider: oidcProvider({ issuer: 'https://id.example.com', clientId: 'spa' }) });
 */
export function oidcProvider(settings: OidcSettings): Adapter {
  const issuer = baseUrlOf(settings.issuer ?? settings.baseUrl);
  const configError = checkConfiguration(oidcSettings, settings, { issuer: baseUrlOf(settings.issuer), baseUrl: baseUrlOf(settings.baseUrl) }) ??
    (!issuer ? new AuthError('config', { providerCode: 'missing_setting:issuer' }) : undefined);
  const { key, capabilities } = oidcFacts(settings);
  const scope = settings.scope ?? 'openid profile email';
  let discovery: Promise<Discovery> | null = null;

  function discover(ctx: AdapterContext): Promise<Discovery> {
    discovery ??= fetchDiscovery(issuer, ctx).catch((error) => {
      discovery = null; // a failed discovery is retried by the next call
      throw error;
    });
    return discovery;
  }

  /**
   * The id token's person completed from userinfo (OIDC Core §5.3), which many providers alone
   * fill with profile claims. Its `sub` must be the id token's (§5.3.2), else it is not used; a
   * userinfo that fails leaves the sign-in as the id token made it.
   */
  async function withUserinfo(tokens: TokenSet, ctx: AdapterContext): Promise<TokenSet> {
    const fromToken = tokens.id_token ? userFromClaims(decodeJwt(tokens.id_token)) : null;
    const { userinfo_endpoint } = await discover(ctx);
    if (!userinfo_endpoint || !fromToken) return tokens;
    try {
      const info = await userinfo(userinfo_endpoint, tokens.access_token, ctx);
      return info.id === fromToken.id ? { ...tokens, user: { ...fromToken, ...info } } : tokens;
    } catch {
      return tokens;
    }
  }

  return {
    type: 'oidc',
    capabilities,
    key,
    configError,
    checksNonce: true,
    redirectUri: settings.redirectUri,

    async authorizationUrl(request: AuthorizationRequest, ctx) {
      const { authorization_endpoint } = await discover(ctx);
      return authorizationCodeUrl(authorization_endpoint, settings.clientId, scope, request);
    },

    async exchangeCode(exchange: CodeExchange, ctx) {
      const { token_endpoint, issuer: expected } = await discover(ctx);
      // RFC 9207: when the provider names itself in the callback, it must be the one we asked.
      const iss = exchange.params.get('iss');
      if (iss && iss !== expected) throw new AuthError('invalid_request', { providerCode: 'issuer_mismatch' });
      const tokens = await tokenRequest(token_endpoint, {
        grant_type: 'authorization_code',
        code: exchange.code,
        redirect_uri: exchange.redirectUri,
        client_id: settings.clientId,
        code_verifier: exchange.codeVerifier,
      }, 'code', ctx);
      return withUserinfo(tokens, ctx);
    },

    async refresh(session: Session, ctx) {
      const { token_endpoint } = await discover(ctx);
      const tokens = await tokenRequest(token_endpoint, {
        grant_type: 'refresh_token',
        refresh_token: session.refresh_token,
        client_id: settings.clientId,
      }, 'refresh', ctx);
      // A new id token may carry fewer claims than userinfo gave: what it does carry wins.
      const fromToken = tokens.id_token ? userFromClaims(decodeJwt(tokens.id_token)) : null;
      return { ...tokens, user: fromToken?.id === session.user.id ? { ...session.user, ...fromToken } : session.user };
    },

    async getUser(session: Session, ctx): Promise<User> {
      const { userinfo_endpoint } = await discover(ctx);
      if (!userinfo_endpoint) return session.user;
      return { ...session.user, ...(await userinfo(userinfo_endpoint, session.access_token, ctx)) };
    },

    async signOut(session: Session, request: SignOutRequest, ctx) {
      const found = await discover(ctx);
      if (found.revocation_endpoint && session.refresh_token) {
        const body = new URLSearchParams({ token: session.refresh_token, token_type_hint: 'refresh_token', client_id: settings.clientId });
        await ctx.http({ url: found.revocation_endpoint, method: 'POST', body, signal: ctx.signal, retry: true }).catch(() => undefined);
      }
      const back = request.redirectTo ?? settings.postLogoutRedirectUri;
      if (!found.end_session_endpoint || !back) return {};
      const url = new URL(navigableUrl(found.end_session_endpoint));
      url.searchParams.set('client_id', settings.clientId);
      url.searchParams.set('post_logout_redirect_uri', back);
      if (session.id_token) url.searchParams.set('id_token_hint', session.id_token);
      return { redirectUrl: url.toString() };
    },
  };
}

async function fetchDiscovery(issuer: string, ctx: AdapterContext): Promise<Discovery> {
  const response = await ctx.http({ url: `${issuer}/.well-known/openid-configuration`, signal: ctx.signal });
  const body = response.body as Record<string, unknown> | undefined;
  if (response.status !== 200) {
    // Throttling and outages are passing troubles; any other answer means a wrong issuer.
    if (response.status === 429 || response.status >= 500) throw transportFailure(response) ?? new AuthError('server', { status: response.status });
    throw new AuthError('config', { status: response.status });
  }
  const found = {
    issuer: readString(body, 'issuer'),
    authorization_endpoint: readString(body, 'authorization_endpoint'),
    token_endpoint: readString(body, 'token_endpoint'),
    userinfo_endpoint: readString(body, 'userinfo_endpoint'),
    end_session_endpoint: readString(body, 'end_session_endpoint'),
    revocation_endpoint: readString(body, 'revocation_endpoint'),
  };
  if (!found.issuer || !found.authorization_endpoint || !found.token_endpoint) {
    throw new AuthError('config', { status: response.status });
  }
  // OIDC Discovery §4.3: the document must name the issuer it was fetched for.
  if (found.issuer.replace(/\/+$/, '') !== issuer) {
    throw new AuthError('config', { providerCode: 'issuer_mismatch' });
  }
  return found as Discovery;
}

/** GET userinfo with the access token: the person's claims as a User (`id` = `sub`). */
async function userinfo(endpoint: string, accessToken: string, ctx: AdapterContext): Promise<User> {
  const response = await ctx.http({ url: endpoint, headers: { authorization: `Bearer ${accessToken}` }, signal: ctx.signal });
  if (response.status === 401) throw new AuthError('session_expired', { status: 401 });
  if (response.status !== 200) throw oauthError(response, 'other');
  const user = userFromClaims(response.body as Record<string, unknown>);
  if (!user) throw transportFailure(response) ?? new AuthError('server', { status: response.status });
  return user;
}
