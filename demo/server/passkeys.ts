// The passkey service of the reference server, mounted at `/passkeys`. Registration is for a
// signed-in user of any mounted backend (the bearer access token is introspected by each
// backend in turn); authentication needs no session. Verification is @simplewebauthn/server.
//
//   POST /passkeys/registration/options    Bearer → PublicKeyCredentialCreationOptionsJSON
//   POST /passkeys/registration/verify     Bearer + RegistrationResponseJSON → { verified, credentialId }
//   POST /passkeys/authentication/options  { backend?, userId? } (or ?backend=) → PublicKeyCredentialRequestOptionsJSON;
//                                           with a backend, only that backend's passkeys can answer it
//   POST /passkeys/authentication/verify   AuthenticationResponseJSON → { verified, backend, userId, credentialId, session }
//   GET  /passkeys/credentials             Bearer → the signed-in person's passkeys, oldest first:
//                                           [{ id, name?, created_at, last_used_at? }] (Hanko's names, ISO times)
//   DELETE /passkeys/credentials/{id}      Bearer → 204; 404 when it is not one of the person's own
//
// Challenges are one-shot: the pending challenge is removed before verifying, so a replayed
// response fails. Credentials, user handles and pending challenges live in the store.
//
// A verified sign-in issues a session (the widget's contract for <auth-passkey>):
// `session: { access_token, token_type, expires_in, refresh_token?, id_token?, user: { id, name } }`.
// The passkey's backend mints it through its optional `issueSession(userId, ctx)` hook when it
// has one (then the tokens are that backend's own); otherwise this service signs an HS256 JWT
// with the backend's `ctx.jwt` key (`sub` = user id, 5 minutes, `token_use: passkey_session`,
// no refresh token), which this service also accepts as a bearer for registering more passkeys.
import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { json, readJson, type Backend, type BackendContext, type Store, type TokenBody } from './kit/index.js';

/** Lifetime of the sessions this service mints itself (no refresh: sign in again after). */
export const PASSKEY_SESSION_TTL_SECONDS = 300;
const TOKEN_USE = 'passkey_session';

export interface StoredPasskey {
  /** The credential id, base64url. */
  id: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  backend: string;
  userId: string;
  userName: string;
  /** The WebAuthn user handle (random, base64url) given to the authenticator for this user. */
  userHandle: string;
  deviceType: string;
  backedUp: boolean;
  createdAt: number;
  lastUsedAt?: number;
}

interface PendingRegistration {
  challenge: string;
  expiresAt: number;
}

interface PendingAuthentication {
  challenge: string;
  expiresAt: number;
  backend?: string;
  userId?: string;
}

export interface PasskeyServiceOptions {
  store: Store;
  backends: Backend[];
  contextFor(backend: Backend): BackendContext;
  now(): number;
  rpId: string;
  rpName: string;
  expectedOrigins: string[];
  /** How long a challenge stays valid (default 5 minutes). */
  challengeTtlMs?: number;
}

export interface PasskeyService {
  name: 'passkeys';
  handle(request: Request, path: string): Promise<Response | undefined>;
}

const userKey = (backend: string, userId: string) => `${backend}:${userId}`;

export function createPasskeyService(options: PasskeyServiceOptions): PasskeyService {
  const { store, rpId, rpName, expectedOrigins, now } = options;
  const ttl = options.challengeTtlMs ?? 5 * 60_000;
  const credentials = store.collection<StoredPasskey>('passkeys.credentials');
  const userHandles = store.collection<{ backend: string; userId: string; handle: string }>('passkeys.users');
  const registrations = store.collection<PendingRegistration>('passkeys.registrations');
  const authentications = store.collection<PendingAuthentication>('passkeys.authentications');

  // Pending authentications are keyed by challenge and pile up when never answered: drop the
  // expired ones (pending registrations are one per user, overwritten).
  const sweep = () => {
    const t = now();
    for (const p of authentications.values()) if (p.expiresAt <= t) authentications.delete(p.challenge);
  };

  async function whoIs(request: Request): Promise<{ backend: string; userId: string; name: string } | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
    if (!match) return null;
    const token = match[1]!;
    for (const backend of options.backends) {
      if (!backend.introspect) continue;
      try {
        const who = await backend.introspect(token, options.contextFor(backend));
        if (who) return { backend: backend.name, userId: who.userId, name: who.name || who.userId };
      } catch {
        // A backend that cannot read this token is not the one that issued it.
      }
    }
    // A session this service minted itself (a JWT signed with one backend's key, marked for it).
    if (token.split('.').length === 3) {
      for (const backend of options.backends) {
        const claims = await options.contextFor(backend).jwt.verify(token);
        if (!claims || claims.token_use !== TOKEN_USE || claims.aud !== backend.name || typeof claims.sub !== 'string' || !claims.sub) continue;
        if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now()) continue;
        return { backend: backend.name, userId: claims.sub, name: typeof claims.name === 'string' && claims.name ? claims.name : claims.sub };
      }
    }
    return null;
  }

  /** The session a passkey sign-in earns: the backend's own tokens where it can issue them. */
  async function issueSession(stored: StoredPasskey): Promise<TokenBody | null> {
    const backend = options.backends.find((b) => b.name === stored.backend) as Backend | undefined;
    if (!backend) return null;
    const ctx = options.contextFor(backend);
    const user = { id: stored.userId, name: stored.userName };
    if (typeof backend.issueSession === 'function') {
      const tokens = await backend.issueSession(stored.userId, ctx);
      return { token_type: 'Bearer', ...tokens, user: { ...user, ...tokens.user } };
    }
    const access_token = await ctx.jwt.sign(
      { iss: new URL('/passkeys', ctx.baseUrl).href, aud: backend.name, sub: stored.userId, name: stored.userName, token_use: TOKEN_USE, amr: ['passkey'] },
      PASSKEY_SESSION_TTL_SECONDS,
      now(),
    );
    return { access_token, token_type: 'Bearer', expires_in: PASSKEY_SESSION_TTL_SECONDS, user };
  }

  const unauthorized = () =>
    json(401, { verified: false, error: 'unauthorized', message: 'A valid `Authorization: Bearer <access token>` of a signed-in user is required.' }, { 'www-authenticate': 'Bearer' });
  const failed = (error: string, message?: string) => json(400, { verified: false, error, ...(message ? { message } : {}) });

  function handleFor(backend: string, userId: string): string {
    const key = userKey(backend, userId);
    const existing = userHandles.get(key);
    if (existing) return existing.handle;
    const handle = randomBytes(32).toString('base64url');
    userHandles.put(key, { backend, userId, handle });
    return handle;
  }

  async function registrationOptions(request: Request) {
    const who = await whoIs(request);
    if (!who) return unauthorized();
    const existing = credentials.values().filter((c) => c.backend === who.backend && c.userId === who.userId);
    const creation = await generateRegistrationOptions({
      rpName,
      rpID: rpId,
      userName: who.name,
      userDisplayName: who.name,
      userID: new Uint8Array(Buffer.from(handleFor(who.backend, who.userId), 'base64url')),
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    registrations.put(userKey(who.backend, who.userId), { challenge: creation.challenge, expiresAt: now() + ttl });
    return json(200, creation);
  }

  async function registrationVerify(request: Request) {
    const who = await whoIs(request);
    if (!who) return unauthorized();
    const body = (await readJson(request)) as unknown as RegistrationResponseJSON | undefined;
    if (!body || typeof body.id !== 'string' || typeof body.response !== 'object' || body.response === null) {
      return failed('invalid_request', 'The body must be the RegistrationResponseJSON from startRegistration().');
    }
    const key = userKey(who.backend, who.userId);
    const pending = registrations.get(key);
    // One-shot: whatever happens next, this challenge cannot be used again.
    registrations.delete(key);
    if (!pending || pending.expiresAt <= now()) return failed('no_pending_registration', 'Ask for registration options first (or again: they expire).');
    if (credentials.get(body.id)) return failed('credential_exists', 'This passkey is already registered.');
    let result;
    try {
      result = await verifyRegistrationResponse({
        response: body,
        expectedChallenge: pending.challenge,
        expectedOrigin: expectedOrigins,
        expectedRPID: rpId,
        requireUserVerification: false,
      });
    } catch (error) {
      return failed('verification_failed', error instanceof Error ? error.message : String(error));
    }
    if (!result.verified) return failed('verification_failed');
    const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
    const transports = Array.isArray(body.response.transports) ? body.response.transports.filter((t) => typeof t === 'string') : (credential.transports ?? []);
    credentials.put(credential.id, {
      id: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports,
      backend: who.backend,
      userId: who.userId,
      userName: who.name,
      userHandle: handleFor(who.backend, who.userId),
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      createdAt: now(),
    });
    return json(200, { verified: true, credentialId: credential.id });
  }

  async function authenticationOptions(request: Request) {
    sweep();
    const body = request.headers.get('content-length') === '0' ? {} : ((await readJson(request)) ?? {});
    const backend = (typeof body.backend === 'string' && body.backend ? body.backend : undefined) ?? (new URL(request.url).searchParams.get('backend') || undefined);
    const userId = typeof body.userId === 'string' && body.userId ? body.userId : undefined;
    const allow = backend && userId ? credentials.values().filter((c) => c.backend === backend && c.userId === userId) : [];
    const request_ = await generateAuthenticationOptions({
      rpID: rpId,
      // Empty: a discoverable (username-less) sign-in; the authenticator offers its passkeys.
      allowCredentials: allow.map((c) => ({ id: c.id, transports: c.transports })),
      userVerification: 'preferred',
    });
    // A passkey of another backend must not sign in here (its session would claim this backend).
    authentications.put(request_.challenge, { challenge: request_.challenge, expiresAt: now() + ttl, ...(backend ? { backend } : {}), ...(allow.length ? { userId } : {}) });
    return json(200, request_);
  }

  async function authenticationVerify(request: Request) {
    const body = (await readJson(request)) as unknown as AuthenticationResponseJSON | undefined;
    if (!body || typeof body.id !== 'string' || typeof body.response !== 'object' || body.response === null || typeof body.response.clientDataJSON !== 'string') {
      return failed('invalid_request', 'The body must be the AuthenticationResponseJSON from startAuthentication().');
    }
    let challenge: unknown;
    try {
      challenge = JSON.parse(Buffer.from(body.response.clientDataJSON, 'base64url').toString('utf8')).challenge;
    } catch {
      return failed('invalid_request', 'clientDataJSON is not base64url JSON.');
    }
    const pending = typeof challenge === 'string' ? authentications.get(challenge) : undefined;
    if (pending) authentications.delete(pending.challenge); // one-shot
    if (!pending || pending.expiresAt <= now()) return failed('unknown_challenge', 'Ask for authentication options first (or again: they expire).');
    const stored = credentials.get(body.id);
    if (!stored) return failed('unknown_credential', 'This passkey is not registered here.');
    if (pending.backend && stored.backend !== pending.backend) return failed('unknown_credential', 'This passkey belongs to another backend.');
    if (pending.userId && stored.userId !== pending.userId) return failed('unknown_credential', 'This passkey belongs to another user.');
    if (body.response.userHandle && body.response.userHandle !== stored.userHandle) return failed('user_mismatch', 'The user handle does not match the passkey.');
    let result;
    try {
      result = await verifyAuthenticationResponse({
        response: body,
        expectedChallenge: pending.challenge,
        expectedOrigin: expectedOrigins,
        expectedRPID: rpId,
        credential: { id: stored.id, publicKey: new Uint8Array(Buffer.from(stored.publicKey, 'base64url')), counter: stored.counter, transports: stored.transports },
        requireUserVerification: false,
      });
    } catch (error) {
      return failed('verification_failed', error instanceof Error ? error.message : String(error));
    }
    if (!result.verified) return failed('verification_failed');
    credentials.put(stored.id, { ...stored, counter: result.authenticationInfo.newCounter, lastUsedAt: now() });
    const session = await issueSession(stored);
    // The passkey is fine but its backend is no longer mounted: nobody can issue a session.
    if (!session) return json(409, { verified: false, error: 'backend_unavailable', message: `The backend ${stored.backend} of this passkey is not mounted.` });
    return json(200, { verified: true, backend: stored.backend, userId: stored.userId, credentialId: stored.id, session });
  }

  /** The person's passkeys (`<auth-profile>`): list them, remove one of their own. */
  async function credentialList(request: Request, id: string | undefined): Promise<Response> {
    const who = await whoIs(request);
    if (!who) return unauthorized();
    if (request.method === 'GET' && id === undefined) {
      const mine = credentials.values().filter((c) => c.backend === who.backend && c.userId === who.userId).sort((a, b) => a.createdAt - b.createdAt);
      return json(200, mine.map((c) => ({ id: c.id, created_at: new Date(c.createdAt).toISOString(), ...(c.lastUsedAt ? { last_used_at: new Date(c.lastUsedAt).toISOString() } : {}) })));
    }
    if (request.method === 'DELETE' && id) {
      const stored = credentials.get(id);
      // Someone else's passkey is as absent as one that never was.
      if (!stored || stored.backend !== who.backend || stored.userId !== who.userId) return json(404, { error: 'not_found', message: 'No such passkey.' });
      credentials.delete(id);
      return new Response(null, { status: 204 });
    }
    return json(405, { error: 'method_not_allowed', message: 'GET /credentials or DELETE /credentials/{id}.' }, { allow: 'GET, DELETE' });
  }

  const routes: Record<string, (request: Request) => Promise<Response>> = {
    '/registration/options': registrationOptions,
    '/registration/verify': registrationVerify,
    '/authentication/options': authenticationOptions,
    '/authentication/verify': authenticationVerify,
  };

  return {
    name: 'passkeys',
    async handle(request, path) {
      const listed = /^\/credentials(?:\/([^/]+))?$/.exec(path);
      if (listed) return credentialList(request, listed[1] === undefined ? undefined : decodeURIComponent(listed[1]));
      const route = routes[path];
      if (!route) return undefined;
      if (request.method !== 'POST') return json(405, { error: 'method_not_allowed', message: `${path} takes POST.` }, { allow: 'POST' });
      return route(request);
    },
  };
}
