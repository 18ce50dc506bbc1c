import { AuthError, StepRequired, type AccountCapabilities, type Adapter, type StepRequest, type TokenSet } from '../../src/contract/index.js';
import { base64url } from '../../src/core/util/pkce.js';

/** A JWT-shaped token with the given claims (unsigned: the client never verifies). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.sig`;
}

export interface FakeAdapter extends Adapter {
  calls: { refresh: number; password: number; exchange: number; signOut: number; sent: Array<{ channel: string; to: string }>; changed: Array<{ oldPassword: string; newPassword: string }> };
  /** Passwords by identifier that lead to a step instead of tokens. */
  steps: Record<string, StepRequest>;
  /** Identifiers whose sign-in (and code sends) first ask for a captcha; the answer is `human`. */
  captchaFor: Set<string>;
  /** Identifiers whose sign-in first asks the person to agree to the terms. */
  consentFor: Set<string>;
  /** What the next refreshes do: a token set, or an error to throw. */
  refreshWith: Array<TokenSet | AuthError | (() => Promise<TokenSet>)>;
  tokens(lifetime?: number, user?: string): TokenSet;
}

let counter = 0;

/** An in-memory backend for client tests: counts its calls and answers as told. */
export function fakeAdapter(options: { key?: string; lifetime?: number } = {}): FakeAdapter {
  const lifetime = options.lifetime ?? 3600;
  const provider: FakeAdapter = {
    type: 'oidc',
    key: options.key ?? `fake:${++counter}`,
    capabilities: { password: ['email'], signUp: ['email'], recovery: ['email'], otp: ['sms', 'email'], oauth: ['oidc'], popup: false, anonymous: true, refresh: true },
    calls: { refresh: 0, password: 0, exchange: 0, signOut: 0, sent: [], changed: [] },
    steps: {},
    captchaFor: new Set(),
    consentFor: new Set(),
    refreshWith: [],
    redirectUri: 'http://127.0.0.1/callback',
    checksNonce: true,
    tokens(life = lifetime, user = 'user-1') {
      const n = ++counter;
      return {
        access_token: `access-${n}`,
        refresh_token: `refresh-${n}`,
        expires_in: life,
        id_token: fakeJwt({ sub: user, email: user.includes('@') ? user : `${user}@example.com` }),
      };
    },
    async signInWithPassword(credentials, ctx) {
      provider.calls.password++;
      if (ctx.signal?.aborted) throw new AuthError('cancelled');
      checkCaptcha(provider, credentials.email ?? '', ctx.captcha);
      if (provider.consentFor.has(credentials.email ?? '') && !ctx.consent) throw new StepRequired({ kind: 'consent', context: { flow: 'f-1' } });
      const step = provider.steps[credentials.email ?? ''];
      if (step && credentials.password === 'right') return step;
      if (credentials.password !== 'right' && credentials.password !== 'new-Passw0rd') throw new AuthError('invalid_credentials', { remainingAttempts: 2 });
      return provider.tokens(lifetime, credentials.email ?? 'user-1');
    },
    async sendOtp(request, ctx) {
      const to = (request.channel === 'sms' ? request.phone : request.email)!;
      checkCaptcha(provider, to, ctx.captcha);
      provider.calls.sent.push({ channel: request.channel, to });
      if (to === 'unknown@example.com' && request.shouldCreateUser === false) throw new AuthError('user_not_found');
      return { channel: request.channel, expiresIn: 300, resendAfter: 60, context: { to, code: '123456' } };
    },
    async verifyOtp(challenge, code) {
      const { to, code: expected } = challenge.context as { to: string; code: string };
      if (code !== expected) throw new AuthError('invalid_code');
      return provider.tokens(lifetime, to);
    },
    async signUp(params) {
      if (params.email === 'taken@example.com') throw new AuthError('user_exists', { invalid: { email: 'taken' } });
      return { kind: 'verify_sign_up', channel: 'email', expiresIn: 300, resendAfter: 30, context: { to: params.email, code: '654321' } };
    },
    async signInAnonymously() {
      return provider.tokens(lifetime, 'anonymous-1');
    },
    async startRecovery(request) {
      return { kind: 'recovery', stage: 'verify', delivery: 'code', channel: 'email', context: { to: request.email, code: '112233' } };
    },
    async completeRecovery(step, newPassword) {
      const { code } = step.context as { code: string };
      if (step.stage !== 'new_password' && code !== 'verified') throw new AuthError('invalid_code');
      provider.calls.changed.push({ oldPassword: '', newPassword });
      return null; // the client signs in with the new password
    },
    async verifyRecovery(step, code) {
      if (code !== (step.context as { code: string }).code) throw new AuthError('invalid_code');
      return { ...step, stage: 'new_password', context: { ...(step.context as object), code: 'verified' } };
    },
    async newCaptcha(step) {
      return { ...step, image: CAPTCHA_IMAGE };
    },
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
      if (!challenge || code !== (challenge.context as { code: string }).code) throw new AuthError('invalid_code');
      return provider.tokens(lifetime, 'mfa-user');
    },
    async authorizationUrl(request) {
      const url = new URL('https://idp.test/authorize');
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

/** A captcha gate: the first call asks for one; the retried call must carry the answer `human`. */
function checkCaptcha(adapter: FakeAdapter, who: string, answer: { text: string } | undefined): void {
  if (!adapter.captchaFor.has(who)) return;
  const step: StepRequest = { kind: 'captcha', image: CAPTCHA_IMAGE, context: { who } };
  if (!answer) throw new StepRequired(step);
  if (answer.text !== 'human') throw new StepRequired(step, new AuthError('captcha_required', { invalid: { captcha: 'invalid' } }));
  adapter.captchaFor.delete(who);
}

/** A security-check image as a backend would send one (the answer is `human`). */
export const CAPTCHA_IMAGE = `data:image/svg+xml;base64,${btoa('<svg xmlns="http://www.w3.org/2000/svg" width="160" height="56"><rect width="160" height="56" fill="#eef1f6"/><path d="M6 40 Q40 8 80 30 T154 18" stroke="#9aa4b5" fill="none"/><text x="18" y="38" font-family="monospace" font-size="30" fill="#2a3140" transform="rotate(-4 80 28)">h u m a n</text></svg>')}`;

/** What a backend `withAccount` was asked to change. */
export interface AccountCalls {
  updates: Array<Record<string, string>>;
  codes: string[];
  passwords: Array<{ oldPassword: string; newPassword: string }>;
  unlinked: string[];
}

/**
 * Gives a fake backend the signed-in account methods (`<auth-profile>`), in memory: a new email
 * or phone waits for the code `123456`; `taken@example.com` is refused as taken;
 * `robot@example.com` asks for a captcha first (answer anything); the current password is `right`.
 */
export function withAccount(fake: FakeAdapter, account: AccountCapabilities | undefined): FakeAdapter & { sent: AccountCalls } {
  const sent: AccountCalls = { updates: [], codes: [], passwords: [], unlinked: [] };
  const adapter = Object.assign(fake, { sent });
  Object.assign(adapter.capabilities, { oauth: ['github', 'wx_open'], account });
  adapter.updateUser = async (session, attributes, ctx) => {
    sent.updates.push({ ...(attributes as Record<string, string>) });
    const contact = attributes.email ?? attributes.phone;
    if (contact === 'taken@example.com') throw new AuthError('invalid_request', { invalid: { email: 'taken' } });
    if (contact === 'robot@example.com' && !ctx.captcha) throw new StepRequired({ kind: 'captcha', image: CAPTCHA_IMAGE, context: { id: 'c-1' } });
    if (contact) return { step: { kind: 'verify_contact', channel: attributes.email ? 'email' : 'sms', target: contact, context: { ...attributes } } };
    return { user: { ...session.user, ...attributes } };
  };
  adapter.verifyContact = async (session, step, code) => {
    sent.codes.push(code);
    if (code !== '123456') throw new AuthError('invalid_code', { remainingAttempts: 2 });
    return { ...session.user, ...(step.context as object) };
  };
  adapter.updatePassword = async (_session, passwords) => {
    sent.passwords.push(passwords);
    if (passwords.oldPassword !== 'right') throw new AuthError('invalid_credentials');
  };
  adapter.unlinkIdentity = async (session, source) => {
    sent.unlinked.push(source);
    return { ...session.user, identities: (session.user.identities ?? []).filter((identity) => identity.provider !== source) };
  };
  adapter.bindIdentity = async (session) => session.user;
  return adapter;
}
