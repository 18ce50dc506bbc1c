import { AuthError } from '../../src/core/errors.js';
import { base64url } from '../../src/core/pkce.js';
import type { TokenSet } from '../../src/core/session.js';
import type { PendingStep } from '../../src/core/steps.js';
import type { Provider } from '../../src/providers/provider.js';

/** A JWT-shaped token with the given claims (unsigned: the client never verifies). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.sig`;
}

export interface FakeProvider extends Provider {
  calls: { refresh: number; password: number; exchange: number; signOut: number; sent: Array<{ channel: string; to: string }>; changed: Array<{ oldPassword: string; newPassword: string }> };
  /** Passwords by identifier that lead to a step instead of tokens. */
  steps: Record<string, PendingStep>;
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
    capabilities: { password: ['email'], signUp: true, recovery: true, otp: ['sms', 'email'], oauth: ['oidc'], popup: false, anonymous: true, refresh: true },
    calls: { refresh: 0, password: 0, exchange: 0, signOut: 0, sent: [], changed: [] },
    steps: {},
    refreshWith: [],
    redirectUri: 'http://127.0.0.1/callback',
    checksNonce: true,
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
      const step = provider.steps[credentials.email ?? ''];
      if (step && credentials.password === 'right') return step;
      if (credentials.password !== 'right' && credentials.password !== 'new-Passw0rd') throw new AuthError('invalid_credentials', 'Wrong password', { remainingAttempts: 2 });
      return provider.tokens(lifetime, credentials.email ?? 'user-1');
    },
    async sendOtp(request) {
      const to = (request.channel === 'sms' ? request.phone : request.email)!;
      provider.calls.sent.push({ channel: request.channel, to });
      if (to === 'unknown@example.com' && request.shouldCreateUser === false) throw new AuthError('user_not_found', 'No such user');
      return { channel: request.channel, expiresIn: 300, resendAfter: 60, context: { to, code: '123456' } };
    },
    async verifyOtp(challenge, code) {
      const { to, code: expected } = challenge.context as { to: string; code: string };
      if (code !== expected) throw new AuthError('invalid_code', 'Wrong code');
      return provider.tokens(lifetime, to);
    },
    async signUp(params) {
      if (params.email === 'taken@example.com') throw new AuthError('user_exists', 'Taken');
      return { channel: 'email', expiresIn: 300, context: { to: params.email, code: '654321' } };
    },
    async signInAnonymously() {
      return provider.tokens(lifetime, 'anonymous-1');
    },
    async resetPassword() {},
    async changePassword(_step, passwords) {
      provider.calls.changed.push(passwords);
      delete provider.steps[Object.keys(provider.steps)[0]!];
      return null; // like Zhuyun: the change alone issues no tokens
    },
    async skipPasswordChange() {
      return provider.tokens(lifetime, 'skipped');
    },
    async sendSecondFactor(_step, method) {
      return { channel: method === 'email' ? 'email' : 'sms', expiresIn: 300, context: { code: '999999' } };
    },
    async verifySecondFactor(_step, code, challenge) {
      if (!challenge || code !== (challenge.context as { code: string }).code) throw new AuthError('invalid_code', 'Wrong code');
      return provider.tokens(lifetime, 'mfa-user');
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
