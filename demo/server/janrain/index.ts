// Akamai Identity Cloud (Janrain) native Authentication API, emulated for the reference server
// (PROVIDERS.md §5). Every `/oauth/*` and `/access/*` call is a form-encoded POST; failures are
// HTTP 200 with `stat: "error"`, a numeric Registration `code`, `error`, `error_description` and
// `request_id` (§5.5). The relay (src/relay/backends/janrain.ts) forwards the native calls
// unchanged and exchanges `authorization_code` at `/oauth/token` with Basic API-client
// credentials, so that is the exact shape produced and accepted here.
//
// Marks: `// [?] not documented: …` where §5 is silent and a plausible shape was chosen.
// This file routes and seeds; protocol.ts holds the wire format, model.ts the configuration, the
// records and the policies, sign-in.ts, codes.ts and tokens.ts the routes.
import { randomUUID } from 'node:crypto';
import { hashPassword, type Backend } from '../kit/index.js';
import { sendEmail, useVerificationCode } from './codes.js';
import { captureTime, collections, nextId, type JanrainUser } from './model.js';
import { fail, invalidArgument, readBody } from './protocol.js';
import { updateProfile } from './profile.js';
import { register, signIn, social } from './sign-in.js';
import { lookup, token } from './tokens.js';

export { JANRAIN_CONFIG } from './model.js';

const NATIVE_PATHS = new Set([
  '/oauth/auth_native_traditional',
  '/oauth/register_native_traditional',
  '/oauth/forgot_password_native',
  '/oauth/verify_email_native',
  '/oauth/auth_native',
  '/oauth/register_native',
  '/oauth/token',
  '/oauth/update_profile_native',
  '/access/useVerificationCode',
]);

const SEED_PASSWORD = 'demo-password';

export const janrainBackend: Backend = {
  name: 'janrain',
  accounts: [
    { identifier: 'demo@janrain.example', password: SEED_PASSWORD, note: 'verified account; signs in (token or code); registering this email again gives 380' },
    { identifier: 'unverified@janrain.example', password: SEED_PASSWORD, note: 'signs in with capture_user.emailVerified = null (the "verify email" app policy); verify_email_native emails a link with a code to the outbox' },
    { identifier: 'social@janrain.example', note: 'social-only account (no password): password sign-in gives 211 no_password' },
    { identifier: 'locked@janrain.example', password: SEED_PASSWORD, note: 'always locked: sign-in gives 214 account_locked [?] with Retry-After' },
    { identifier: 'nobody@janrain.example', note: 'no such account: sign-in gives 210, forgot password gives 212' },
  ],

  async seed(ctx) {
    const { users } = collections(ctx);
    const created = captureTime(Date.UTC(2024, 0, 1));
    const seeds: Array<Partial<JanrainUser> & { email: string; password: string | null }> = [
      { email: 'demo@janrain.example', password: SEED_PASSWORD, givenName: 'Demo', familyName: 'User', displayName: 'Demo User', emailVerified: created },
      { email: 'unverified@janrain.example', password: SEED_PASSWORD, givenName: 'Una', familyName: 'Verified', displayName: 'Una Verified', emailVerified: null },
      { email: 'social@janrain.example', password: null, givenName: 'Sofia', familyName: 'Social', displayName: 'Sofia Social', emailVerified: created },
      { email: 'locked@janrain.example', password: SEED_PASSWORD, givenName: 'Lock', familyName: 'Ed', displayName: 'Lock Ed', emailVerified: created, locked: true },
    ];
    for (const { password, ...seed } of seeds) {
      if (users.find((u) => u.email === seed.email)) continue;
      const user: JanrainUser = {
        id: nextId(users),
        uuid: randomUUID(),
        passwordHash: password === null ? null : await hashPassword(password),
        givenName: null,
        familyName: null,
        displayName: null,
        emailVerified: null,
        created,
        lastUpdated: created,
        lastLogin: null,
        ...seed,
      };
      users.put(user.uuid, user);
    }
  },

  async handle(request, path, ctx) {
    if (!NATIVE_PATHS.has(path)) return undefined;
    // All calls are POST with form bodies; query parameters are not accepted (§5.1).
    // [?] not documented: the answer to another method; 200 invalid_argument.
    if (request.method !== 'POST') return invalidArgument('method', 'must be POST');
    const body = await readBody(request);
    if ('error' in body) return body.error;
    const { form } = body;
    try {
      switch (path) {
        case '/oauth/auth_native_traditional':
          return await signIn(ctx, form);
        case '/oauth/register_native_traditional':
          return await register(ctx, form);
        case '/oauth/forgot_password_native':
          return sendEmail(ctx, form, 'reset_password');
        case '/oauth/verify_email_native':
          return sendEmail(ctx, form, 'verify_email');
        case '/access/useVerificationCode':
          return useVerificationCode(ctx, form);
        case '/oauth/auth_native':
        case '/oauth/register_native':
          return social(form, path);
        case '/oauth/token':
          return token(ctx, request, form);
        case '/oauth/update_profile_native':
          return await updateProfile(ctx, form);
      }
    } catch {
      return fail(500, 'unexpected_error', 'an unexpected error occurred');
    }
    return undefined;
  },

  async introspect(accessToken, ctx) {
    const { grants, users } = collections(ctx);
    const found = lookup(grants, 'access_token', accessToken, ctx.now());
    const user = found && users.get(found.grant.uuid);
    return user ? { userId: user.uuid, name: user.displayName ?? user.email } : null;
  },
};

