// node --import tsx --test demo/server/oidc.node.test.ts
import assert from 'node:assert/strict';
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { CookieJar, completeOidcLogin, completeOidcLogout, parseForm } from '../../test/support/oidc-login.js';
import { startOidcServer } from './oidc.js';

const APP = 'http://127.0.0.1:5173';
const OTHER = 'http://evil.example';
const REDIRECT = `${APP}/callback`;
const CLIENT = 'spa';
const alice = { username: 'alice', password: 'correct horse' };

const b64url = (b: Buffer) => b.toString('base64url');
const pkce = () => {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
};
const decodeJwt = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

describe('dev OIDC server', () => {
  let server: Awaited<ReturnType<typeof startOidcServer>>;
  let meta: Record<string, string | string[]>;

  before(async () => {
    server = await startOidcServer({
      issuerPath: '/oidc',
      clients: [{ clientId: CLIENT, redirectUris: [REDIRECT], postLogoutRedirectUris: [`${APP}/`] }],
      allowedOrigins: [APP],
      users: [{ id: 'u1', ...alice, email: 'alice@example.test', name: 'Alice Liddell' }],
      // Long enough that no pause of a loaded machine expires a token mid-test.
      accessTokenTtl: 300,
    });
    meta = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
  });
  after(async () => {
    const t = Date.now();
    await server.close(); // keep-alive sockets from fetch are open at this point
    assert.ok(Date.now() - t < 4000, `close() is prompt (well below the 5 s keep-alive timeout): ${Date.now() - t} ms`);
  });

  const authorizeUrl = (extra: Record<string, string> = {}) => {
    const { verifier, challenge } = pkce();
    const state = b64url(randomBytes(8));
    const nonce = b64url(randomBytes(8));
    const url = new URL(meta.authorization_endpoint as string);
    url.search = new URLSearchParams({
      client_id: CLIENT, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid email profile',
      state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...extra,
    }).toString();
    return { url: url.href, verifier, state, nonce };
  };
  const token = (body: Record<string, string>, origin?: string) =>
    fetch(meta.token_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
      body: new URLSearchParams(body),
    });
  const login = async (jar = new CookieJar()) => {
    const a = authorizeUrl();
    const cb = new URL(await completeOidcLogin(a.url, alice, { jar }));
    assert.equal(cb.searchParams.get('state'), a.state);
    return { ...a, code: cb.searchParams.get('code')!, jar };
  };
  const exchange = async (code: string, verifier: string) => {
    const res = await token({ grant_type: 'authorization_code', client_id: CLIENT, code, redirect_uri: REDIRECT, code_verifier: verifier }, APP);
    return { res, body: await res.json() };
  };

  test('discovery document', () => {
    assert.equal(meta.issuer, server.issuer);
    assert.match(server.issuer, /^http:\/\/127\.0\.0\.1:\d+\/oidc$/);
    for (const k of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'end_session_endpoint']) {
      assert.ok((meta[k] as string).startsWith(`${server.issuer}/`), k);
    }
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.ok(meta.grant_types_supported.includes('refresh_token'));
    assert.ok(meta.token_endpoint_auth_methods_supported.includes('none'));
    for (const s of ['openid', 'email', 'profile']) assert.ok(meta.scopes_supported.includes(s), s);
  });

  test('code + PKCE + nonce, id_token claims, refresh rotation, userinfo', async () => {
    const { code, verifier, nonce } = await login();
    const { res, body } = await exchange(code, verifier);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 300);
    assert.ok(body.access_token && body.refresh_token && body.id_token);

    const [h, p, s] = body.id_token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const jwks = await (await fetch(meta.jwks_uri as string)).json();
    const key = createPublicKey({ key: jwks.keys.find((k: JsonWebKey) => k.kid === header.kid), format: 'jwk' });
    assert.equal(header.alg, 'RS256');
    assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')), 'id_token signature');
    const claims = decodeJwt(body.id_token);
    assert.equal(claims.iss, server.issuer);
    assert.equal(claims.aud, CLIENT);
    assert.equal(claims.nonce, nonce);
    assert.equal(claims.sub, 'u1');
    assert.equal(claims.email, 'alice@example.test');
    assert.equal(claims.name, 'Alice Liddell');

    const me = await fetch(meta.userinfo_endpoint as string, { headers: { authorization: `Bearer ${body.access_token}`, origin: APP } });
    assert.equal(me.headers.get('access-control-allow-origin'), APP);
    assert.deepEqual(await me.json(), { sub: 'u1', email: 'alice@example.test', name: 'Alice Liddell', preferred_username: 'alice' });

    // Public client: refresh with only client_id; the refresh token rotates each time.
    const r1 = await token({ grant_type: 'refresh_token', client_id: CLIENT, refresh_token: body.refresh_token }, APP);
    const t1 = await r1.json();
    assert.equal(r1.status, 200, JSON.stringify(t1));
    assert.equal(t1.expires_in, 300);
    assert.ok(t1.access_token && t1.id_token);
    assert.notEqual(t1.refresh_token, body.refresh_token);
    const r2 = await token({ grant_type: 'refresh_token', client_id: CLIENT, refresh_token: t1.refresh_token });
    assert.equal(r2.status, 200);
    // Replaying a rotated token is refused (and oidc-provider revokes the whole grant).
    const replay = await token({ grant_type: 'refresh_token', client_id: CLIENT, refresh_token: body.refresh_token });
    assert.equal(replay.status, 400);
    assert.equal((await replay.json()).error, 'invalid_grant');
  });

  test('wrong code_verifier is invalid_grant', async () => {
    const { code } = await login();
    const { res, body } = await exchange(code, pkce().verifier);
    assert.equal(res.status, 400);
    assert.equal(body.error, 'invalid_grant');
  });

  test('authorize without code_challenge redirects back with an error', async () => {
    const { url, state } = authorizeUrl({ code_challenge: '', code_challenge_method: '' });
    const u = new URL(url);
    u.searchParams.delete('code_challenge');
    u.searchParams.delete('code_challenge_method');
    const res = await fetch(u, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const cb = new URL(res.headers.get('location')!);
    assert.equal(`${cb.origin}${cb.pathname}`, REDIRECT);
    assert.equal(cb.searchParams.get('error'), 'invalid_request');
    assert.match(cb.searchParams.get('error_description')!, /PKCE/);
    assert.equal(cb.searchParams.get('state'), state);
    // plain is not accepted either
    const plain = new URL(url);
    plain.searchParams.set('code_challenge_method', 'plain');
    const res2 = await fetch(plain, { redirect: 'manual' });
    assert.equal(new URL(res2.headers.get('location')!).searchParams.get('error'), 'invalid_request');
  });

  test('wrong password re-renders the form with an escaped error', async () => {
    const jar = new CookieJar();
    let url = new URL(authorizeUrl().url);
    let res = await fetch(url, { redirect: 'manual' });
    jar.store(url, res);
    url = new URL(res.headers.get('location')!, url);
    res = await fetch(url, { headers: { cookie: jar.header(url) } });
    const html = await res.text();
    assert.match(html, /<label for="username">/);
    assert.match(html, /name="password"[^>]*autocomplete="current-password"/);
    const form = parseForm(html, url.href)!;
    const post = new URL(form.action);
    res = await fetch(post, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(post), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: '<b>alice</b>', password: 'nope' }),
    });
    const again = await res.text();
    assert.equal(res.status, 200);
    assert.match(again, /role="alert"[^>]*>Invalid username or password\.</);
    assert.match(again, /value="&#60;b&#62;alice&#60;\/b&#62;"/);
    assert.doesNotMatch(again, /<b>alice/);
    assert.ok(parseForm(again, post.href)?.fields.has('password'));
    await assert.rejects(completeOidcLogin(authorizeUrl().url, { ...alice, password: 'x' }), /login refused: Invalid username/);
  });

  test('CORS only for allowed origins', async () => {
    const { code, verifier } = await login();
    const bad = await token({ grant_type: 'authorization_code', client_id: CLIENT, code, redirect_uri: REDIRECT, code_verifier: verifier }, OTHER);
    assert.equal(bad.headers.get('access-control-allow-origin'), null);
    assert.equal((await bad.json()).error, 'invalid_request');
    const pre = await fetch(meta.token_endpoint as string, { method: 'OPTIONS', headers: { origin: OTHER, 'access-control-request-method': 'POST' } });
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    const preOk = await fetch(meta.token_endpoint as string, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'POST' } });
    assert.equal(preOk.headers.get('access-control-allow-origin'), APP);
    const disc = `${server.issuer}/.well-known/openid-configuration`;
    assert.equal((await fetch(disc, { headers: { origin: APP } })).headers.get('access-control-allow-origin'), APP);
    assert.equal((await fetch(disc, { headers: { origin: OTHER } })).headers.get('access-control-allow-origin'), null);
  });

  test('RP-initiated logout with id_token_hint ends the session and redirects', async () => {
    const { code, verifier, jar } = await login();
    const { body } = await exchange(code, verifier);
    const end = new URL(meta.end_session_endpoint as string);
    end.search = new URLSearchParams({ id_token_hint: body.id_token, post_logout_redirect_uri: `${APP}/`, state: 'bye' }).toString();
    const out = new URL(await completeOidcLogout(end.href, { jar }));
    assert.equal(out.href, `${APP}/?state=bye`);
    // The grant is revoked and the OP session is gone: refresh fails, next login shows the form.
    const r = await token({ grant_type: 'refresh_token', client_id: CLIENT, refresh_token: body.refresh_token });
    assert.equal((await r.json()).error, 'invalid_grant');
    const res = await fetch(authorizeUrl().url, { redirect: 'manual', headers: { cookie: jar.header(end) } });
    assert.match(res.headers.get('location')!, /\/oidc\/interaction\//);
  });

  test('logout without hint: client_id + post_logout_redirect_uri, and without a session', async () => {
    const { jar } = await login();
    const end = new URL(meta.end_session_endpoint as string);
    end.search = new URLSearchParams({ client_id: CLIENT, post_logout_redirect_uri: `${APP}/` }).toString();
    assert.equal(await completeOidcLogout(end.href, { jar }), `${APP}/`);
    assert.equal(await completeOidcLogout(end.href), `${APP}/`); // fresh jar: no OP session
  });

  test('SSO: a second authorize with the same jar skips the form; only loopback hosts bind', async () => {
    const { jar } = await login();
    const cb = new URL(await completeOidcLogin(authorizeUrl().url, { username: '', password: '' }, { jar }));
    assert.ok(cb.searchParams.get('code'));
    await assert.rejects(startOidcServer({ host: '0.0.0.0', clients: [], users: [] }), /loopback/);
  });

  test('without `loopback`, another loopback page is not a registered redirect', async () => {
    const res = await fetch(authorizeUrl({ redirect_uri: 'http://127.0.0.1:8123/page.html' }).url, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /redirect_uri/);
  });
});

describe('dev OIDC server with `loopback` (any page of this machine)', () => {
  const PAGE = 'http://localhost:8123';
  let server: Awaited<ReturnType<typeof startOidcServer>>;
  let meta: Record<string, string>;
  before(async () => {
    server = await startOidcServer({ clients: [{ clientId: CLIENT, redirectUris: [REDIRECT] }], allowedOrigins: [APP], loopback: true, users: [{ id: 'u1', ...alice }] });
    meta = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
  });
  after(() => server.close());

  const authorize = (redirectUri: string) => {
    const { verifier, challenge } = pkce();
    const url = new URL(meta.authorization_endpoint);
    url.search = new URLSearchParams({ client_id: CLIENT, response_type: 'code', redirect_uri: redirectUri, scope: 'openid', state: 's1', nonce: 'n1', code_challenge: challenge, code_challenge_method: 'S256' }).toString();
    return { url: url.href, verifier };
  };

  test('a page on another loopback port and path signs in, reads the token answer (CORS) and signs out back to itself', async () => {
    const redirectUri = `${PAGE}/my/page.html`;
    const jar = new CookieJar();
    const a = authorize(redirectUri);
    const cb = new URL(await completeOidcLogin(a.url, alice, { jar }));
    assert.equal(`${cb.origin}${cb.pathname}`, redirectUri);
    const res = await fetch(meta.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: PAGE },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT, code: cb.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: a.verifier }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), PAGE);
    const body = await res.json();
    const end = new URL(meta.end_session_endpoint);
    end.search = new URLSearchParams({ id_token_hint: body.id_token, post_logout_redirect_uri: redirectUri }).toString();
    assert.equal(await completeOidcLogout(end.href, { jar }), redirectUri);
  });

  test('other hosts are still refused: redirect URIs and CORS alike', async () => {
    for (const uri of ['https://evil.example/', 'http://127.0.0.2:8080/', 'http://localhost.evil.example/']) {
      const res = await fetch(authorize(uri).url, { redirect: 'manual' });
      assert.equal(res.status, 400, uri);
    }
    const disc = `${server.issuer}/.well-known/openid-configuration`;
    assert.equal((await fetch(disc, { headers: { origin: OTHER } })).headers.get('access-control-allow-origin'), null);
    assert.equal((await fetch(disc, { headers: { origin: PAGE } })).headers.get('access-control-allow-origin'), PAGE);
  });
});
