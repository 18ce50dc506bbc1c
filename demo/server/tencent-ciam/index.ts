// Tencent Cloud CIAM emulation (PROVIDERS.md §3): OTP send + OTP grants, password (ROPC),
// authorization code + PKCE through a hosted login page, refresh rotation and discovery, sign-up
// and password reset by code (Web apps), the signed-in password change. A Web app's token calls
// need its secret; an SPA app has none.
// Mounted by the reference server at `/tencent-ciam`. This file routes and seeds; model.ts holds the
// seeded tenant, the records and the policies, protocol.ts the wire format, codes.ts, sign-in.ts,
// grants.ts (POST /oauth2/token), tokens.ts and portal.ts the routes.
import { hashPassword, type Backend, type BackendContext } from '../kit/index.js';
import { resetPassword, signUp } from './account.js';
import { sendOtp } from './codes.js';
import { tokenEndpoint } from './grants.js';
import { AUTH_SOURCES, collections, type User } from './model.js';
import { authorize, loginForm, loginSubmit, logout } from './portal.js';
import { oauthError, reply } from './protocol.js';
import { changePassword } from './sign-in.js';
import { accessTokenUser, discovery, revoke, userinfo } from './tokens.js';

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
  '/signup': { POST: signUp },
  '/reset_user_password': { POST: resetPassword },
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
      note: `Web app: client_secret ciam-demo-secret (server side, in the relay: code sends, the code sign-in and its refresh, sign-up, password reset; every token call needs the secret); auth sources ${AUTH_SOURCES.filter((s) => s.id !== 'unlinked-sms-source')
        .map((s) => `${s.id} (${s.kind})`)
        .join(', ')}; unlinked-sms-source is not associated (→ invalid_auth_source)`,
    },
    {
      identifier: 'client ciam-demo-spa',
      note: 'SPA app (no secret): the page\'s password sign-in, hosted portal (PKCE) and its refresh; auth source pwd-source; redirect URIs http://127.0.0.1:5173/, http://localhost:5173/ and any http://127.0.0.1:PORT/',
    },
  ],
};
