// node --import tsx --test demo/server/passkeys.node.test.ts
// Passkeys verified for real: a software authenticator (ES256 key from node:crypto, attestation
// format "none", a minimal CBOR encoder) answers the server's options the way a browser's
// navigator.credentials would, and @simplewebauthn/server checks everything on the server side.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

import { json, type Backend } from './kit/index.js';
import { PASSKEY_SESSION_TTL_SECONDS, type StoredPasskey } from './passkeys.js';
import { startReferenceServer, type ReferenceServer } from './server.js';

const APP = 'http://localhost:5173';

// ── a minimal CBOR encoder: unsigned/negative integers, byte and text strings, arrays, maps ──
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { [key: string]: Cbor };
function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries: Array<[Cbor, Cbor]> = value instanceof Map ? [...value] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/** A platform authenticator in software: one ES256 credential, attestation "none", UP+UV. */
class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private keys: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  counter = 0;
  userHandle = '';

  get id() {
    return b64url(this.credentialId);
  }

  /** Signs with a different key from now on (a cloned or forged authenticator). */
  swapKey() {
    this.keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }

  register(options: PublicKeyCredentialCreationOptionsJSON, origin = APP): RegistrationResponseJSON {
    this.userHandle = options.user.id;
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const coseKey = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([sha256(options.rp.id!), Buffer.from([0x01 | 0x04 | 0x40]), counter, Buffer.alloc(16), idLength, this.credentialId, coseKey]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(cbor({ fmt: 'none', attStmt: {}, authData })),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  authenticate(options: PublicKeyCredentialRequestOptionsJSON, origin = APP): AuthenticationResponseJSON {
    this.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const authenticatorData = Buffer.concat([sha256(options.rpId!), Buffer.from([0x01 | 0x04]), counter]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.keys.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature), userHandle: this.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}

/** Two backends: one without introspection, one whose tokens are `beta-tok-<userId>`. */
const backends = (): Backend[] => [
  { name: 'alpha', accounts: [], seed: async () => {}, handle: async () => json(200, {}) },
  {
    name: 'beta',
    accounts: [],
    seed: async () => {},
    handle: async () => undefined,
    async introspect(token) {
      return token.startsWith('beta-tok-') ? { userId: token.slice(9), name: `${token.slice(9)}@example.test` } : null;
    },
  },
];

function client(server: ReferenceServer) {
  const call = async (path: string, body?: unknown, token?: string, origin = APP) => {
    const res = await fetch(`${server.url}/passkeys${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  return {
    call,
    async register(authenticator: SoftAuthenticator, token: string, origin = APP) {
      const options = await call('/registration/options', undefined, token);
      assert.equal(options.status, 200, JSON.stringify(options.body));
      return call('/registration/verify', authenticator.register(options.body, origin), token);
    },
    async signIn(authenticator: SoftAuthenticator, request?: unknown, origin = APP) {
      const options = await call('/authentication/options', request);
      assert.equal(options.status, 200);
      return { options: options.body as PublicKeyCredentialRequestOptionsJSON, result: await call('/authentication/verify', authenticator.authenticate(options.body, origin)) };
    },
  };
}

describe('passkeys', () => {
  let server: ReferenceServer;
  let api: ReturnType<typeof client>;
  const alice = new SoftAuthenticator();
  const TOKEN = 'beta-tok-alice';

  before(async () => {
    server = await startReferenceServer({ allowedOrigins: [APP], backends: backends(), log: () => {} });
    api = client(server);
  });
  after(() => server.close());

  test('registration needs a bearer token some backend knows', async () => {
    let res = await api.call('/registration/options');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'unauthorized');
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    res = await api.call('/registration/options', undefined, 'alpha-or-nobody');
    assert.equal(res.status, 401);
    res = await api.call('/registration/verify', {}, 'nobody');
    assert.equal(res.status, 401);
  });

  test('registration options: rp, user from introspection, preferred resident key and UV', async () => {
    const { status, body } = await api.call('/registration/options', undefined, TOKEN);
    assert.equal(status, 200);
    assert.equal(body.rp.id, 'localhost');
    assert.equal(body.user.name, 'alice@example.test');
    assert.ok(body.user.id.length > 20, 'a random user handle');
    assert.equal(body.authenticatorSelection.residentKey, 'preferred');
    assert.equal(body.authenticatorSelection.userVerification, 'preferred');
    assert.deepEqual(body.excludeCredentials, []);
    const again = await api.call('/registration/options', undefined, TOKEN);
    assert.equal(again.body.user.id, body.user.id, 'the handle is stable per user');
    assert.notEqual(again.body.challenge, body.challenge);
  });

  test('register for real, stored with backend and user; excluded next time', async () => {
    const { status, body } = await api.register(alice, TOKEN);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, { verified: true, credentialId: alice.id });
    const stored = server.store.collection<StoredPasskey>('passkeys.credentials').get(alice.id)!;
    assert.equal(stored.backend, 'beta');
    assert.equal(stored.userId, 'alice');
    assert.equal(stored.counter, 0);
    assert.deepEqual(stored.transports, ['internal']);
    assert.match(stored.publicKey, /^[A-Za-z0-9_-]+$/);
    const options = await api.call('/registration/options', undefined, TOKEN);
    assert.deepEqual(options.body.excludeCredentials.map((c: { id: string }) => c.id), [alice.id]);
  });

  test('a replayed registration response fails (the challenge is one-shot)', async () => {
    const bob = new SoftAuthenticator();
    const options = await api.call('/registration/options', undefined, 'beta-tok-bob');
    const response = bob.register(options.body);
    assert.equal((await api.call('/registration/verify', response, 'beta-tok-bob')).status, 200);
    const replay = await api.call('/registration/verify', response, 'beta-tok-bob');
    assert.equal(replay.status, 400);
    assert.equal(replay.body.verified, false);
  });

  test('registration from a wrong origin, or for another challenge, fails', async () => {
    const carol = new SoftAuthenticator();
    let res = await api.register(carol, 'beta-tok-carol', 'http://evil.example');
    assert.equal(res.status, 400);
    assert.equal(res.body.verified, false);
    assert.equal(res.body.error, 'verification_failed');
    assert.match(res.body.message, /origin/i);
    // Options for carol, but a response made for some other challenge.
    await api.call('/registration/options', undefined, 'beta-tok-carol');
    const forged = carol.register({ ...(await api.call('/registration/options', undefined, 'beta-tok-dave')).body });
    res = await api.call('/registration/verify', forged, 'beta-tok-carol');
    assert.equal(res.status, 400);
    assert.equal(server.store.collection('passkeys.credentials').get(carol.id), undefined);
  });

  test('discoverable sign-in verifies and moves the counter', async () => {
    const { options, result } = await api.signIn(alice);
    assert.deepEqual(options.allowCredentials, []);
    assert.equal(options.rpId, 'localhost');
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const { session, ...rest } = result.body;
    assert.deepEqual(rest, { verified: true, backend: 'beta', userId: 'alice', credentialId: alice.id });
    assert.ok(session, 'a session is issued');
    assert.equal(server.store.collection<StoredPasskey>('passkeys.credentials').get(alice.id)!.counter, 1);
  });

  test('a verified sign-in issues a session: an HS256 JWT for the user when the backend has no issueSession', async () => {
    const { result } = await api.signIn(alice);
    const { session } = result.body;
    assert.deepEqual(Object.keys(session).sort(), ['access_token', 'expires_in', 'token_type', 'user']);
    assert.equal(session.token_type, 'Bearer');
    assert.equal(session.expires_in, PASSKEY_SESSION_TTL_SECONDS);
    assert.deepEqual(session.user, { id: 'alice', name: 'alice@example.test' });
    const [header, payload] = session.access_token.split('.').slice(0, 2).map((part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    assert.equal(header.alg, 'HS256');
    assert.equal(payload.sub, 'alice');
    assert.equal(payload.aud, 'beta');
    assert.equal(payload.token_use, 'passkey_session');
    assert.equal(payload.exp - payload.iat, PASSKEY_SESSION_TTL_SECONDS);
    assert.deepEqual(await server.context('beta').jwt.verify(session.access_token).then((c) => c?.sub), 'alice', 'signed with the backend key');
  });

  test('the minted session is a bearer for registering another passkey; a tampered or expired one is not', async () => {
    const ivy = new SoftAuthenticator();
    assert.equal((await api.register(ivy, 'beta-tok-ivy')).body.verified, true);
    const { result } = await api.signIn(ivy, { backend: 'beta', userId: 'ivy' });
    const token: string = result.body.session.access_token;
    const second = new SoftAuthenticator();
    const registered = await api.register(second, token);
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    assert.equal(server.store.collection<StoredPasskey>('passkeys.credentials').get(second.id)!.userId, 'ivy');
    const [h, p, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
    const tampered = [h, Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url'), sig].join('.');
    assert.equal((await api.call('/registration/options', undefined, tampered)).status, 401);
    // A backend's other JWTs (an id_token signed with the same key) are not passkey sessions.
    const idToken = await server.context('beta').jwt.sign({ sub: 'alice', aud: 'beta' }, 300);
    assert.equal((await api.call('/registration/options', undefined, idToken)).status, 401);
    const expired = await server.context('beta').jwt.sign({ ...claims, exp: undefined, iat: undefined }, 1, Date.now() - 10_000);
    assert.equal((await api.call('/registration/options', undefined, expired)).status, 401);
  });

  test('sign-in with an allow-list for one user', async () => {
    const { options, result } = await api.signIn(alice, { backend: 'beta', userId: 'alice' });
    assert.deepEqual(options.allowCredentials?.map((c) => c.id), [alice.id]);
    assert.equal(result.body.verified, true);
    // Alice's passkey offered for a sign-in that asked for bob: refused.
    const bobs = await api.signIn(alice, { backend: 'beta', userId: 'bob' });
    assert.equal(bobs.result.status, 400);
  });

  test('a sign-in asked for one backend refuses a passkey of another (its session would claim the wrong backend)', async () => {
    const other = await api.signIn(alice, { backend: 'alpha' });
    assert.equal(other.result.status, 400);
    assert.equal(other.result.body.error, 'unknown_credential');
    const own = await api.signIn(alice, { backend: 'beta' });
    assert.equal(own.result.body.verified, true);
  });

  test('a replayed sign-in, a wrong origin, a wrong key, an unknown passkey fail', async () => {
    const options = (await api.call('/authentication/options')).body;
    const response = alice.authenticate(options);
    assert.equal((await api.call('/authentication/verify', response)).status, 200);
    const replay = await api.call('/authentication/verify', response);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'unknown_challenge');

    const wrongOrigin = await api.signIn(alice, undefined, 'http://evil.example');
    assert.equal(wrongOrigin.result.status, 400);
    assert.match(wrongOrigin.result.body.message, /origin/i);

    const stranger = new SoftAuthenticator();
    const unknown = await api.signIn(stranger);
    assert.equal(unknown.result.status, 400);
    assert.equal(unknown.result.body.error, 'unknown_credential');

    const clone = Object.assign(Object.create(SoftAuthenticator.prototype), alice) as SoftAuthenticator;
    clone.swapKey();
    const forged = await api.signIn(clone);
    assert.equal(forged.result.status, 400);
    assert.equal(forged.result.body.verified, false);
    assert.match(forged.result.body.message ?? forged.result.body.error, /signature|verification_failed/i);
  });

  test('credentials: the owner lists theirs (Hanko names, ISO times) and removes one; nobody else sees or removes it', async () => {
    const list = (token?: string) => fetch(`${server.url}/passkeys/credentials`, { headers: { origin: APP, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    const remove = (id: string, token: string) => fetch(`${server.url}/passkeys/credentials/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { origin: APP, authorization: `Bearer ${token}` } });
    const erin = new SoftAuthenticator();
    assert.equal((await api.register(erin, 'beta-tok-erin')).status, 200);
    await api.signIn(erin);
    assert.equal((await list()).status, 401);
    const mine = await (await list('beta-tok-erin')).json();
    assert.equal(mine.length, 1);
    assert.equal(mine[0].id, erin.id);
    assert.ok(!Number.isNaN(Date.parse(mine[0].created_at)) && !Number.isNaN(Date.parse(mine[0].last_used_at)), JSON.stringify(mine[0]));
    assert.ok(!(await (await list(TOKEN)).json()).some((c: { id: string }) => c.id === erin.id), "alice does not see erin's passkey");
    assert.equal((await remove(erin.id, TOKEN)).status, 404, "alice cannot remove erin's passkey");
    assert.equal((await remove('never-was', 'beta-tok-erin')).status, 404);
    assert.equal((await remove(erin.id, 'beta-tok-erin')).status, 204);
    assert.deepEqual(await (await list('beta-tok-erin')).json(), []);
    assert.equal((await api.signIn(erin)).result.status, 400, 'a removed passkey no longer signs in');
    const pre = await fetch(`${server.url}/passkeys/credentials/x`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' } });
    assert.equal(pre.status, 204);
  });

  test('garbage bodies and wrong methods are clean errors', async () => {
    for (const path of ['/registration/verify', '/authentication/verify']) {
      for (const body of ['{nope', '[]', '{}', JSON.stringify({ id: 'x', response: { clientDataJSON: '!!!' } })]) {
        const res = await api.call(path, body, TOKEN);
        assert.equal(res.status, 400, `${path} ${body}`);
        assert.equal(res.body.verified, false);
      }
    }
    assert.equal((await api.call('/authentication/options', '{garbage')).status, 200, 'options ignore a bad body');
    assert.equal((await fetch(`${server.url}/passkeys/registration/options`)).status, 405);
    assert.equal((await fetch(`${server.url}/passkeys/nothing`, { method: 'POST' })).status, 404);
    const pre = await fetch(`${server.url}/passkeys/registration/options`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-headers'), 'authorization, content-type');
  });
});

describe('passkeys persistence', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'reference-passkeys-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a passkey registered before a restart signs in after it', async () => {
    const options = { dataDir: dir, allowedOrigins: [APP], backends: backends(), log: () => {} };
    const authenticator = new SoftAuthenticator();
    let server = await startReferenceServer(options);
    assert.equal((await client(server).register(authenticator, 'beta-tok-erin')).body.verified, true);
    assert.equal((await client(server).signIn(authenticator)).result.body.verified, true);
    await server.close();

    server = await startReferenceServer(options);
    try {
      const { result } = await client(server).signIn(authenticator, { backend: 'beta', userId: 'erin' });
      const { session, ...rest } = result.body;
      assert.deepEqual(rest, { verified: true, backend: 'beta', userId: 'erin', credentialId: authenticator.id });
      assert.equal(session.user.id, 'erin');
      assert.equal(server.store.collection<StoredPasskey>('passkeys.credentials').get(authenticator.id)!.counter, 2);
    } finally {
      await server.close();
    }
  });
});

describe('passkeys with a backend that issues its own sessions', () => {
  test('issueSession(userId, ctx) supplies the tokens; the user is filled in', async () => {
    const calls: string[] = [];
    const gamma: Backend & { issueSession(userId: string): Promise<{ access_token: string; expires_in: number; refresh_token: string }> } = {
      name: 'gamma',
      accounts: [],
      seed: async () => {},
      handle: async () => undefined,
      async introspect(token) {
        return token.startsWith('gamma-tok-') ? { userId: token.slice(10) } : null;
      },
      async issueSession(userId) {
        calls.push(userId);
        return { access_token: `gamma-tok-${userId}`, expires_in: 120, refresh_token: `gamma-refresh-${userId}` };
      },
    };
    const server = await startReferenceServer({ allowedOrigins: [APP], backends: [gamma], log: () => {} });
    try {
      const api = client(server);
      const authenticator = new SoftAuthenticator();
      assert.equal((await api.register(authenticator, 'gamma-tok-gina')).body.verified, true);
      const { result } = await api.signIn(authenticator);
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.deepEqual(calls, ['gina']);
      assert.deepEqual(result.body.session, {
        token_type: 'Bearer',
        access_token: 'gamma-tok-gina',
        expires_in: 120,
        refresh_token: 'gamma-refresh-gina',
        user: { id: 'gina', name: 'gina' },
      });
    } finally {
      await server.close();
    }
  });

  test('a passkey whose backend is no longer mounted is refused without a session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-passkeys-'));
    try {
      const authenticator = new SoftAuthenticator();
      let server = await startReferenceServer({ dataDir: dir, allowedOrigins: [APP], backends: backends(), log: () => {} });
      assert.equal((await client(server).register(authenticator, 'beta-tok-hal')).body.verified, true);
      await server.close();
      server = await startReferenceServer({ dataDir: dir, allowedOrigins: [APP], backends: backends().filter((b) => b.name !== 'beta'), log: () => {} });
      try {
        const { result } = await client(server).signIn(authenticator);
        assert.equal(result.status, 409);
        assert.deepEqual(result.body.verified, false);
        assert.equal(result.body.error, 'backend_unavailable');
        assert.equal(result.body.session, undefined);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
