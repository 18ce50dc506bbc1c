// Zhuyun / BambooCloud IDaaS CIAM (open.bccastle.com) emulation for the reference server.
// Wire protocol as PROVIDERS.md §4 and shared/seeds/002 document it:
//   POST /api/v2/sdk/login/mobile-pwd   { mobile, password }
//   GET  /api/v2/sdk/pwd/skip-update    X-state-token (PASSWORD_WARN only)
//   POST /api/v2/sdk/pwd/update         X-state-token + { old_password, new_password }
// Every call needs the device headers (X-operating-sys-version, X-device-fingerprint, X-agent)
// and X-client-id; X-L picks the message language (zh… → Chinese, anything else → English).
// Errors are `{ error_code, error_msg }` with HTTP 400 (500 for COM.0002).
// Shapes marked `[?]` are not documented; they are the most plausible fit to the documented ones.
// This file routes and seeds; protocol.ts holds the wire format, model.ts the records and the
// lock-out, sign-in.ts, password.ts and tokens.ts the routes.
import { hashPassword, type Backend } from '../kit/index.js';
import { DAY_MS, NAME, collections, prune, type AccountState } from './model.js';
import { skipUpdate, updatePassword } from './password.js';
import { checkHeaders, fail, langOf } from './protocol.js';
import { login } from './sign-in.js';
import { sessionUser } from './tokens.js';

const DEMO_PASSWORD = 'demo-password';

// ── seeded accounts ─────────────────────────────────────────────────────────

// User ids in bccastle's format (e.g. `20220425140138519-BF1B-528B0551B` in its id_token example).
const SEEDS: Array<{ id: string; mobile: string; name: string; ageDays: number; state: AccountState; note: string }> = [
  { id: '20240101000000010-ZY10-DEMO00010', mobile: '13800000010', name: 'Demo User', ageDays: 0, state: 'active', note: 'SUCCESS: session_token, expire, id_token' },
  { id: '20240101000000011-ZY11-DEMO00011', mobile: '13800000011', name: 'Warned User', ageDays: 80, state: 'active', note: 'PASSWORD_WARN (password 80 of 90 days old): skip or change; SUCCESS once changed' },
  { id: '20240101000000012-ZY12-DEMO00012', mobile: '13800000012', name: 'Expired User', ageDays: 120, state: 'active', note: 'PASSWORD_EXPIRED: must change (e.g. to Demo-pass1); skip is refused; SUCCESS once changed' },
  { id: '20240101000000013-ZY13-DEMO00013', mobile: '13800000013', name: 'Denied User', ageDays: 0, state: 'access_denied', note: 'status ACCESS_DENIED (HTTP 200)' },
  { id: '20240101000000014-ZY14-DEMO00014', mobile: '13800000014', name: 'Disabled User', ageDays: 0, state: 'disabled', note: 'IDAAS.SDK.USER.0039 user disabled' },
  { id: '20240101000000019-ZY19-DEMO00019', mobile: '13800000019', name: 'Busy User', ageDays: 0, state: 'busy', note: 'IDAAS.SDK.COM.0002 system busy (HTTP 500), any password: a local stand-in for a vendor outage' },
];

// ── the backend ─────────────────────────────────────────────────────────────

const ROUTES: Record<string, { method: string; run: typeof login }> = {
  '/api/v2/sdk/login/mobile-pwd': { method: 'POST', run: login },
  '/api/v2/sdk/pwd/skip-update': { method: 'GET', run: skipUpdate }, // GET per §4.3 [C]
  '/api/v2/sdk/pwd/update': { method: 'POST', run: updatePassword },
};

export const zhuyunIdaasBackend: Backend = {
  name: NAME,

  accounts: SEEDS.map((s) => ({ identifier: s.mobile, password: DEMO_PASSWORD, note: s.note })),

  async seed(ctx) {
    const { users } = collections(ctx);
    const now = ctx.now();
    for (const s of SEEDS) {
      const existing = users.get(s.id);
      if (!existing) {
        users.put(s.id, {
          id: s.id,
          mobile: s.mobile,
          name: s.name,
          passwordHash: await hashPassword(DEMO_PASSWORD),
          passwordChangedAt: now - s.ageDays * DAY_MS,
          seededAgeDays: s.ageDays,
          state: s.state,
        });
      } else if (existing.seededAgeDays !== undefined) {
        // Password never changed: re-derive its age so WARN / EXPIRED are reached again after a restart.
        users.put(s.id, { ...existing, passwordChangedAt: now - existing.seededAgeDays * DAY_MS });
      }
    }
  },

  async handle(request, path, ctx) {
    const route = ROUTES[path];
    if (!route) return undefined;
    // [?] not documented: another method on a known path; left to the core's JSON 404.
    if (request.method !== route.method) return undefined;
    const lang = langOf(request);
    try {
      prune(ctx);
      const checked = checkHeaders(request, lang);
      if (checked instanceof Response) return checked;
      return await route.run(request, ctx, lang, checked.clientId);
    } catch {
      return fail('IDAAS.SDK.COM.0002', lang);
    }
  },

  async introspect(accessToken, ctx) {
    return sessionUser(ctx, accessToken);
  },
};
