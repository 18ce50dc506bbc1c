import { AuthError } from '../../src/core/errors.js';
import { base64url } from '../../src/core/pkce.js';
import type { TokenSet } from '../../src/core/session.js';
import type { Provider } from '../../src/providers/provider.js';

/** A JWT-shaped token with the given claims (unsigned: the client never verifies). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.sig`;
}

export interface FakeProvider extends Provider {
  calls: { refresh: number; password: number; exchange: number; signOut: number };
  /** What the next refreshes do: a token set, or an error to throw. */
  refreshWith: Array<TokenSet | AuthError | (() => Promise<TokenSet>)>;
  tokens(lifetime?: number, user?: string): TokenSet;
}

let counter = 0;

/** An in-memory backend for client tests: counts its calls and answers as told. */
export function fakeProvider(options: { key?: string; lifetime?: number } = {}): FakeProvider {
  const lifetime = options.lifetime ?? 3600;
  const provider: FakeProvider = {
    type: 'oidc',
    key: options.key ?? `fake:${++counter}`,
    capabilities: { password: ['email'], signUp: false, recovery: false, otp: [], oauth: ['oidc'], popup: false, anonymous: false, refresh: true },
    calls: { refresh: 0, password: 0, exchange: 0, signOut: 0 },
    refreshWith: [],
    redirectUri: 'http://127.0.0.1/callback',
    tokens(life = lifetime, user = 'user-1') {
      const n = ++counter;
      return {
        access_token: `access-${n}`,
        refresh_token: `refresh-${n}`,
        expires_in: life,
        id_token: fakeJwt({ sub: user, email: `${user}@example.com` }),
      };
    },
    async signInWithPassword(credentials) {
      provider.calls.password++;
      if (credentials.password !== 'right') throw new AuthError('invalid_credentials', 'Wrong password', { remainingAttempts: 2 });
      return provider.tokens(lifetime, credentials.email ?? 'user-1');
    },
    async authorizationUrl(request) {
      const url = new URL('http://idp.test/authorize');
      url.searchParams.set('state', request.state);
      url.searchParams.set('nonce', request.nonce);
      url.searchParams.set('code_challenge', request.codeChallenge);
      url.searchParams.set('redirect_uri', request.redirectUri);
      return url.toString();
    },
    async exchangeCode(exchange) {
      provider.calls.exchange++;
      const nonce = exchange.params.get('test_nonce');
      return { ...provider.tokens(), id_token: fakeJwt({ sub: 'user-1', nonce }) };
    },
    async refresh() {
      provider.calls.refresh++;
      const next = provider.refreshWith.shift();
      if (next instanceof AuthError) throw next;
      if (typeof next === 'function') return next();
      // Like most backends, a refresh answers without an id token: the user must carry over.
      const { id_token: _, ...tokens } = provider.tokens();
      return next ?? tokens;
    },
    async signOut() {
      provider.calls.signOut++;
      return {};
    },
  };
  return provider;
}
