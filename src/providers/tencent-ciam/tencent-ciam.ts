import { baseUrlOf, tencentCiamFacts } from '../../backends/facts.js';
import { AuthError, type Adapter, type AdapterContext, type FieldProblem, type FormField, type HttpResponse, type OtpChallenge, type OtpRequest, type PasswordCredentials, type Session, type TokenSet } from '../../contract/index.js';
import { decodeJwt } from '../../core/util/jwt.js';
import { userFromClaims } from '../../core/util/session.js';
import { oidcProvider } from '../oidc/oidc.js';
import { authorizationCodeUrl, readTokens } from '../shared/oauth.js';
import { checkConfiguration } from '../../backends/check.js';
import { ciamError, type CiamCall } from './errors.js';
import { ciamPhone, codeCalls, type OtpContext } from './codes.js';
import { tencentCiamSettings, type TencentCiamSettings } from '../../backends/tencent-ciam.js';

export type { TencentCiamSettings };
export { ciamPhone };

const OTP_GRANT = {
  sms: 'http://tencentciam.com/oauth2/grant-type/otp/sms',
  email: 'http://tencentciam.com/oauth2/grant-type/otp/email',
} as const;

/**
 * Tencent Cloud CIAM (PROVIDERS.md §3): password (ROPC with `auth_source_id`), SMS and email
 * one-time codes (send and exchange through the relay), the hosted portal with PKCE, refresh,
 * and sign-out with revocation. `user.id` is the token's `sub`.
 *
 * @example
 * createAuthClient({ provider: tencentCiamProvider({
 *   baseUrl: 'https://sample.portal.tencentciam.com', relayUrl: 'https://app.example.com/auth-relay',
 *   clientId: 'CID', authSourceId: 'PWD_SRC', smsAuthSourceId: 'SMS_SRC' }) });
 */
export function tencentCiamProvider(settings: TencentCiamSettings): Adapter {
  const base = baseUrlOf(settings.baseUrl);
  const relay = baseUrlOf(settings.relayUrl) || base;
  const { clientId, authSourceId, smsAuthSourceId, emailAuthSourceId } = settings;
  const configError = checkConfiguration(tencentCiamSettings, settings, { baseUrl: base, relayUrl: baseUrlOf(settings.relayUrl) });

  const { key, capabilities } = tencentCiamFacts(settings);
  const codes = codeCalls(relay);

  // Discovery is documented [C] (PROVIDERS.md §7) but revocation, userinfo and end-session paths
  // are not (§3.3 "paths and fields [?]"): the standard adapter finds them there, or does nothing.
  const standard = oidcProvider({ issuer: base, clientId, redirectUri: settings.redirectUri, scope: 'openid' });

  async function token(body: URLSearchParams | Record<string, unknown>, call: CiamCall, ctx: AdapterContext, url = `${base}/oauth2/token`): Promise<TokenSet> {
    // A sign-in, a code or a rotating refresh token must never be sent twice on our own.
    const response = await ctx.http({ url, method: 'POST', body, signal: ctx.signal, retry: false });
    if (response.status !== 200) throw ciamError(response, call);
    return withUser(response);
  }

  return {
    type: 'tencent-ciam',
    capabilities,
    key,
    configError,
    // The hosted portal is OIDC: the id token carries our nonce.
    checksNonce: true,
    redirectUri: settings.redirectUri,

    /** POST /oauth2/token, form-encoded, `grant_type=password` with `auth_source_id` [C] (1148/51473). */
    async signInWithPassword(credentials: PasswordCredentials, ctx) {
      if (!authSourceId) throw new AuthError('unsupported');
      const phone = credentials.phone ? ciamPhone(credentials.phone) : undefined;
      const username = credentials.username ?? credentials.email ?? phone;
      if (!username || !credentials.password) {
        // The field the form filled in (empty), else the generic one.
        const field: FormField = credentials.username !== undefined ? 'username' : credentials.email !== undefined ? 'email' : credentials.phone !== undefined ? 'phone' : 'identifier';
        const invalid: Partial<Record<FormField, FieldProblem>> = username ? {} : { [field]: 'required' };
        if (!credentials.password) invalid.password = 'required';
        throw new AuthError('invalid_request', { invalid });
      }
      const form = new URLSearchParams({ grant_type: 'password', client_id: clientId, auth_source_id: authSourceId, username, password: credentials.password, scope: 'openid' });
      return token(form, 'password', ctx);
    },

    /** POST /otp/send through the relay, which adds the Basic credentials [C] (1148/51475). */
    async sendOtp(request: OtpRequest, ctx): Promise<OtpChallenge> {
      const source = request.channel === 'sms' ? smsAuthSourceId : emailAuthSourceId;
      if (!source) throw new AuthError('unsupported');
      const recipient = request.channel === 'sms' ? (request.phone ? ciamPhone(request.phone) : '') : (request.email ?? '').trim();
      if (!recipient) throw new AuthError('invalid_request', { invalid: request.channel === 'sms' ? { phone: 'required' } : { email: 'required' } });
      const challenge = await codes.send('login', { channel: request.channel, recipient }, ctx, source);
      if (request.shouldCreateUser === true) (challenge.context as OtpContext).autoSignup = true;
      return challenge;
    },

    signUp: codes.signUp,
    startRecovery: codes.startRecovery,
    completeRecovery: codes.completeRecovery,

    /**
     * POST /oauth2/token as JSON with the OTP grant [C] (1148/51474), sent to `relayUrl`: only
     * Web apps may send a code [C], the exchange must use the same client_id [C], and a Web
     * app's token call needs its secret [C], which only the relay holds (it pins client_id too).
     */
    async verifyOtp(challenge: OtpChallenge, code: string, ctx) {
      const otp = challenge.context as OtpContext | undefined;
      if (!otp?.otpToken) throw new AuthError('code_expired');
      if (otp.usage === 'signup') {
        // /signup makes the account [C]; the password then signs the person in (ROPC, the page's app).
        const { identifier, password } = await codes.completeSignUp(otp, code, ctx);
        if (!password || !authSourceId) throw new AuthError('unsupported', { providerCode: 'no_password' });
        const username = identifier.phone ?? identifier.email!;
        return token(new URLSearchParams({ grant_type: 'password', client_id: clientId, auth_source_id: authSourceId, username, password, scope: 'openid' }), 'password', ctx);
      }
      const body: Record<string, unknown> = {
        grant_type: OTP_GRANT[otp.channel],
        // The relay pins its own Web app's client_id; this one is only what a direct call would use.
        client_id: clientId,
        auth_source_id: otp.authSourceId,
        [otp.channel === 'sms' ? 'phone_number' : 'email']: otp.recipient,
        otp_token: otp.otpToken,
        otp: code,
      };
      // Sent only when on: "Otherwise, this parameter is not required" [C].
      if (otp.autoSignup) body.auto_signup = true;
      try {
        return await token(body, 'otp', ctx, `${relay}/oauth2/token`);
      } catch (error) {
        // "Unknown or expired OTP" covers a wrong and an expired code alike; past the code's
        // own lifetime it can only be the latter, and a new code is what helps.
        const e = error as AuthError;
        if (e.code === 'invalid_code' && otp.expiresAt !== undefined && Date.now() >= otp.expiresAt) {
          throw new AuthError('code_expired', { providerCode: e.providerCode, status: e.status });
        }
        throw error;
      }
    },

    /** GET /oauth2/authorize with PKCE S256 [C] (1148/51469); the documented path, no discovery. */
    async authorizationUrl(request) {
      // `queryParams` may carry e.g. `auth_source_id` to preselect a portal method [C].
      return authorizationCodeUrl(`${base}/oauth2/authorize`, clientId, 'openid', request);
    },

    /** Form POST /oauth2/token, `authorization_code` + `code_verifier`, no secret [C] (1148/51481). */
    async exchangeCode(exchange, ctx) {
      const form = new URLSearchParams({ client_id: clientId, grant_type: 'authorization_code', code: exchange.code, redirect_uri: exchange.redirectUri, code_verifier: exchange.codeVerifier });
      return token(form, 'code', ctx);
    },

    /**
     * [?] §3.3/§3.6 q5: the refresh request is not documented; this is RFC 6749 §6 at the
     * documented token endpoint. Tokens issued to the page's own (SPA) app refresh from the page,
     * form-encoded, without a secret. Tokens the relay's Web app was issued (a code sign-in) need
     * that app's secret, like its other token calls [C]: they refresh through the relay (JSON,
     * like the OTP grant), which adds client_id and secret. The token's `aud` says whose they are.
     */
    async refresh(session: Session, ctx) {
      if (!session.refresh_token) throw new AuthError('session_expired');
      const audience = decodeJwt(session.access_token)?.aud;
      const ours = audience === undefined || audience === clientId || (Array.isArray(audience) && audience.includes(clientId));
      if (!ours) return keepUser(await token({ grant_type: 'refresh_token', refresh_token: session.refresh_token }, 'refresh', ctx, `${relay}/oauth2/token`), session);
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: session.refresh_token, client_id: clientId });
      return token(form, 'refresh', ctx);
    },

    /** POST /change_user_password [C] (1148/51478): JSON `{old_password, new_password}`, Bearer access token. */
    async updatePassword(session, passwords, ctx) {
      const response = await ctx.http({
        url: `${base}/change_user_password`,
        method: 'POST',
        headers: { authorization: `Bearer ${session.access_token}` },
        body: { old_password: passwords.oldPassword, new_password: passwords.newPassword },
        signal: ctx.signal,
        retry: false,
      });
      if (response.status !== 200) throw ciamError(response, 'change');
    },

    /** Revokes through discovery's `revocation_endpoint` when the tenant lists one, else local only. */
    signOut(session, request, ctx) {
      return standard.signOut!(session, request, ctx);
    },

    getUser(session, ctx) {
      return standard.getUser!(session, ctx);
    },
  };
}

/** The token response with `user` from the id_token (else the access token): `user.id` = `sub`. */
function withUser(response: HttpResponse): TokenSet {
  const tokens = readTokens(response);
  const user = userFromClaims(tokens.id_token ? decodeJwt(tokens.id_token) : null) ?? userFromClaims(decodeJwt(tokens.access_token));
  if (!user) throw new AuthError('server', { status: response.status });
  return { ...tokens, user };
}

/** A refresh answer's user, else the session's (a refresh may come without an id token). */
function keepUser(tokens: TokenSet, session: Session): TokenSet {
  return tokens.user ? tokens : { ...tokens, user: session.user };
}
