// Tencent Cloud CIAM emulation (PROVIDERS.md §3): OTP send + OTP grants, password (ROPC),
// authorization code + PKCE through a hosted login page, refresh rotation and discovery.
// Mounted by the reference server at `/tencent-ciam`; see shared.ts for the seeded tenant.
import { hashPassword, readForm, readJson, verifyPassword, type Backend, type BackendContext } from '../kit/index.js';
import { sendOtp } from './otp.js';
import { authorize, loginForm, loginSubmit, logout } from './portal.js';
import { AUTH_SOURCES, ERR, SUPPORTED_SCOPES, collections, contentKind, findApp, hash, oauthError, reply, str, type User } from './shared.js';
import { tokenEndpoint } from './token.js';
import { accessTokenUser, revokeFamily } from './tokens.js';

const DEMO_PASSWORD = 'demo-password';

interface SeedUser {
  id: string;
  username: string;
  phone: string;
  email: string;
  name: string;
  status: User['status'];
  note: string;
}

const SEED_USERS: SeedUser[] = [
  { id: 'ciam-user-demo', username: 'demo', phone: '13800000001', email: 'demo@example.com', name: 'Demo User', status: 'normal', note: 'normal user: password (username, phone or email), SMS or email OTP; `+86 13800000001` also matches' },
  { id: 'ciam-user-frozen', username: 'frozen', phone: '13800000002', email: 'frozen@example.com', name: 'Frozen User', status: 'frozen', note: 'abnormal status (frozen): every login → invalid_grant "Abnormal user status"' },
  { id: 'ciam-user-lockme', username: 'lockme', phone: '13800000003', email: 'lockme@example.com', name: 'Lock-out Demo', status: 'normal', note: 'normal user to try the lock-out on: maxPasswordFailures wrong passwords → "Abnormal user status" for lockoutSeconds' },
];

function bearer(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return match?.[1];
}

// [?] not documented: the resource-endpoint error shape (RFC 6750).
const invalidToken = () => oauthError('invalid_token', 'Invalid or expired access token', 401, { 'www-authenticate': 'Bearer error="invalid_token"' });

function discovery(ctx: BackendContext): Response {
  // Discovery is documented [C]; its fields are the standard OIDC ones [?].
  const base = ctx.baseUrl;
  return reply(200, {
    issuer: base,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    userinfo_endpoint: `${base}/oauth2/userinfo`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    end_session_endpoint: `${base}/logout`,
    jwks_uri: `${base}/oauth2/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'password', 'refresh_token', 'http://tencentciam.com/oauth2/grant-type/otp/sms', 'http://tencentciam.com/oauth2/grant-type/otp/email'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: SUPPORTED_SCOPES,
    subject_types_supported: ['public'],
    // The emulation signs with an HS256 key of its own (the real service uses RS256 + JWKS).
    id_token_signing_alg_values_supported: ['HS256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
  });
}

async function userinfo(request: Request, ctx: BackendContext): Promise<Response> {
  const token = bearer(request);
  const user = token ? await accessTokenUser(ctx, token) : null;
  if (!user) return invalidToken();
  return reply(200, { sub: user.id, ...(user.username ? { preferred_username: user.username } : {}), ...(user.name ? { name: user.name } : {}), ...(user.phone ? { phone_number: user.phone } : {}), ...(user.email ? { email: user.email } : {}) });
}

async function revoke(request: Request, ctx: BackendContext): Promise<Response> {
  const form = contentKind(request) === 'json' ? ((await readJson(request)) ?? {}) : await readForm(request);
  const token = str(form, 'token');
  if (!token) return ERR.missing('token');
  const app = findApp(str(form, 'client_id'));
  if (!app) return ERR.client();
  const record = collections(ctx).refresh.get(hash(token));
  if (record && record.clientId === app.clientId) revokeFamily(ctx, record.family);
  const payload = await ctx.jwt.verify(token);
  if (payload && typeof payload.jti === 'string' && payload.aud === app.clientId && typeof payload.exp === 'number') {
    collections(ctx).revokedJti.put(payload.jti, { until: payload.exp * 1000 });
  }
  return new Response(null, { status: 200, headers: { 'cache-control': 'no-store' } }); // RFC 7009: 200 either way
}

/** POST /change_user_password [C]: JSON `{old_password, new_password}` with a Bearer token. */
async function changePassword(request: Request, ctx: BackendContext): Promise<Response> {
  const token = bearer(request);
  const user = token ? await accessTokenUser(ctx, token) : null;
  if (!user) return invalidToken();
  const body = await readJson(request);
  if (!body) return ERR.malformed();
  const oldPassword = str(body, 'old_password');
  const newPassword = str(body, 'new_password');
  if (!newPassword) return ERR.missing('new_password');
  // [?] not documented: error texts and the password policy; the success body (`{}`).
  if (user.passwordHash && (!oldPassword || !(await verifyPassword(oldPassword, user.passwordHash)))) return oauthError('invalid_request', 'Incorrect old password');
  if (newPassword.length < 8 || newPassword.length > 128) return oauthError('invalid_request', 'Password does not meet the password policy');
  user.passwordHash = await hashPassword(newPassword);
  collections(ctx).users.put(user.id, user);
  return reply(200, {});
}

type Handler = (request: Request, ctx: BackendContext) => Response | Promise<Response>;
const ROUTES: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
  '/otp/send': { POST: sendOtp },
  '/oauth2/token': { POST: tokenEndpoint },
  '/oauth2/authorize': { GET: authorize },
  '/login': { GET: loginForm, POST: loginSubmit },
  '/logout': { GET: logout },
  '/oauth2/userinfo': { GET: userinfo },
  '/oauth2/revoke': { POST: revoke },
  '/oauth2/jwks': { GET: () => reply(200, { keys: [] }) }, // [?] HS256 emulation key is not published
  '/change_user_password': { POST: changePassword },
  '/.well-known/openid-configuration': { GET: (_request, ctx) => discovery(ctx) },
};

export const tencentCiamBackend: Backend = {
  name: 'tencent-ciam',

  async seed(ctx) {
    const { users } = collections(ctx);
    for (const seed of SEED_USERS) {
      if (users.get(seed.id)) continue;
      users.put(seed.id, {
        id: seed.id,
        username: seed.username,
        phone: seed.phone,
        email: seed.email,
        name: seed.name,
        status: seed.status,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        failures: 0,
        createdAt: ctx.now(),
      });
    }
  },

  async handle(request, path, ctx) {
    const route = ROUTES[path.length > 1 ? path.replace(/\/+$/, '') : path];
    if (!route) return undefined;
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const handler = route[method as 'GET' | 'POST'];
    if (!handler) return oauthError('invalid_request', 'Method not allowed', 405, { allow: Object.keys(route).join(', ') }); // [?]
    try {
      return await handler(request, ctx);
    } catch {
      // [?] not documented: the 5xx body.
      return oauthError('server_error', 'Internal server error', 500);
    }
  },

  async introspect(accessToken, ctx) {
    const user = await accessTokenUser(ctx, accessToken);
    return user ? { userId: user.id, name: user.name ?? user.phone ?? user.email } : null;
  },

  accounts: [
    ...SEED_USERS.map((u) => ({ identifier: u.phone, password: DEMO_PASSWORD, note: `${u.note} (also ${u.email}, username ${u.username})` })),
    { identifier: '13900000009', note: 'unknown number: OTP login → "User not found" unless auto_signup: true, which creates the user' },
    { identifier: 'new@example.com', note: 'unknown email: like the unknown number, through email OTP' },
    {
      identifier: 'client ciam-demo-client',
      note: `app: client_secret ciam-demo-secret (server side, for /otp/send via the relay); auth sources ${AUTH_SOURCES.filter((s) => s.id !== 'unlinked-sms-source')
        .map((s) => `${s.id} (${s.kind})`)
        .join(', ')}; unlinked-sms-source is not associated (→ invalid_auth_source); redirect URIs http://127.0.0.1:5173/, http://localhost:5173/ and any http://127.0.0.1:PORT/`,
    },
  ],
};
