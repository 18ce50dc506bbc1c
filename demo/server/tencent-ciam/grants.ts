// POST /oauth2/token: reads the client, then runs the grant: the OTP grants (JSON, codes.ts),
// password (form, sign-in.ts), authorization_code (form) and refresh_token (either).
import { createHash } from 'node:crypto';
import { readForm, readJson, sha256, type BackendContext } from '../kit/index.js';
import { OTP_EMAIL, OTP_SMS, otpGrant } from './codes.js';
import { collections, findApp, isAbnormal, secretMatches, type App } from './model.js';
import { ERR, contentKind, invalidScope, oauthError, parseBasic, parseScope, str } from './protocol.js';
import { passwordGrant } from './sign-in.js';
import { issueTokens, revokeFamily } from './tokens.js';

export async function tokenEndpoint(request: Request, ctx: BackendContext): Promise<Response> {
  const kind = contentKind(request);
  let body: Record<string, unknown>;
  if (kind === 'json') {
    const parsed = await readJson(request);
    if (!parsed) return ERR.malformed();
    body = parsed;
  } else if (kind === 'form') {
    body = await readForm(request);
  } else {
    return oauthError('invalid_request', 'Unsupported Content-Type'); // [?]
  }

  const grantType = str(body, 'grant_type');
  if (!grantType) return ERR.missing('grant_type');
  const isOtp = grantType === OTP_SMS || grantType === OTP_EMAIL;
  const known = isOtp || ['password', 'authorization_code', 'refresh_token'].includes(grantType);
  if (!known) return oauthError('unsupported_grant_type', 'Unsupported grant type'); // [?] text
  // The OTP grants are JSON, ROPC and code are form-encoded [C]; refresh accepts either [?].
  if (isOtp && kind !== 'json') return oauthError('invalid_request', 'The OTP grant requires application/json'); // [?]
  if ((grantType === 'password' || grantType === 'authorization_code') && kind !== 'form') return oauthError('invalid_request', 'This grant requires application/x-www-form-urlencoded'); // [?]

  // Client: client_id in the body [C]; client_secret "required for web applications, yet it is not
  // needed for SPA and mobile applications" [C] (the OTP and password grants). A given secret must
  // be right; an SPA has none to give. [?] Basic on /oauth2/token is undocumented.
  const authorization = request.headers.get('authorization');
  const basic = authorization ? parseBasic(authorization) : undefined;
  if (authorization && !basic) return ERR.client();
  const clientId = str(body, 'client_id') ?? basic?.id;
  if (!clientId) return ERR.missing('client_id');
  const app = findApp(clientId);
  if (!app || (basic && basic.id !== clientId)) return ERR.client();
  const secret = basic?.secret ?? str(body, 'client_secret');
  if (secret !== undefined && !secretMatches(app, secret)) return ERR.client();
  // A Web app's token calls carry its secret: the OTP and password grants [C], the plain code
  // exchange [C], and the refresh [?] (not documented; like the other token calls of a Web app).
  // Only the PKCE code exchange goes without it [C].
  const pkce = grantType === 'authorization_code' && str(body, 'code_verifier') !== undefined;
  if (app.type === 'web' && secret === undefined && !pkce) return ERR.client();

  if (isOtp) return otpGrant(body, app, grantType, ctx);
  if (grantType === 'password') return passwordGrant(body, app, ctx);
  if (grantType === 'authorization_code') return codeGrant(body, app, ctx);
  return refreshGrant(body, app, ctx);
}

// [?] not documented: the texts of code / verifier / refresh failures (RFC 6749 §5.2 codes).
const badCode = () => oauthError('invalid_grant', 'Invalid authorization code');

async function codeGrant(body: Record<string, unknown>, app: App, ctx: BackendContext): Promise<Response> {
  const code = str(body, 'code');
  if (!code) return ERR.missing('code');
  const redirectUri = str(body, 'redirect_uri');
  if (!redirectUri) return ERR.missing('redirect_uri');
  const verifier = str(body, 'code_verifier');
  const { codes, users } = collections(ctx);
  const record = codes.get(code);
  const now = ctx.now();
  if (!record || record.used || record.expiresAt <= now || record.clientId !== app.clientId) return badCode();
  if (record.redirectUri !== redirectUri) return oauthError('invalid_grant', 'Redirect URI mismatch');
  if (!verifier) return ERR.missing('code_verifier');
  const computed = createHash('sha256').update(verifier).digest('base64url');
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || computed !== record.codeChallenge) return oauthError('invalid_grant', 'Invalid code_verifier');
  record.used = true;
  codes.put(code, record);
  const user = users.get(record.userId);
  if (!user) return badCode();
  if (isAbnormal(ctx, user)) return ERR.abnormal();
  return issueTokens(ctx, user, app.clientId, { scope: record.scope, nonce: record.nonce, authTime: record.authTime });
}

async function refreshGrant(body: Record<string, unknown>, app: App, ctx: BackendContext): Promise<Response> {
  const token = str(body, 'refresh_token');
  if (!token) return ERR.missing('refresh_token');
  const { refresh, users } = collections(ctx);
  const record = refresh.get(sha256(token));
  const now = ctx.now();
  const bad = () => oauthError('invalid_grant', 'Invalid refresh token');
  if (!record || record.expiresAt <= now || record.clientId !== app.clientId) return bad();
  if (record.rotated) {
    revokeFamily(ctx, record.family); // reuse of a rotated token: the whole family is revoked
    return bad();
  }
  let scope = record.scope;
  const requested = str(body, 'scope');
  if (requested !== undefined) {
    const parsed = parseScope(requested);
    const granted = record.scope.split(' ');
    if (!parsed || !parsed.split(' ').every((s) => granted.includes(s))) return invalidScope();
    scope = parsed;
  }
  const user = users.get(record.userId);
  if (!user) return bad();
  if (isAbnormal(ctx, user)) return ERR.abnormal();
  record.rotated = true;
  refresh.put(record.id, record);
  return issueTokens(ctx, user, app.clientId, { scope, family: record.family });
}
