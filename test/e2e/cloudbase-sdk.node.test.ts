// Tencent's own client, `@cloudbase/js-sdk` 3.7.0, against the reference server's CloudBase
// emulation in Chromium. An emulation that only agrees with our adapter proves nothing about the
// real backend, so each flow is done first by the SDK itself (interop: it must succeed), then by
// our client, and the requests of the two are compared (wire parity: method, path, query keys,
// body keys, whether Authorization is sent, Content-Type). A difference is allowed only where
// EXPLAINED says why. DUMP=1 prints the SDK's requests of each flow.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { PUBLISHABLE_KEY, type UserRecord } from '../../demo/server/cloudbase/model.js';
import { startReferenceServer, type ReferenceServer } from '../../demo/server/server.js';
import type { RecordedCall } from './cloudbase/page.js';
import { waitFor } from '../support/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'demo-password';
// A bound for a redirect round trip on a loaded machine, not a guess at its speed.
const ROUND_TRIP = 30_000;

type Mode = 'sdk' | 'ours';
type Call = RecordedCall;

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One request as the comparison sees it. */
const show = (c: Call) => `${c.method} ${c.path} ?${c.query.join(',')} {${c.body?.join(',') ?? '-'}}${c.authorization ? ' +auth' : ''}${c.contentType ? ` (${c.contentType})` : ''}`;

/**
 * Where our requests may differ from the SDK's, and why. Keyed by flow; each entry rewrites our
 * list before the comparison (so an unexplained difference still fails).
 */
const EXPLAINED: Record<string, { why: string; adjust(ours: Call[]): Call[] }> = {
  'link and unlink': {
    why: 'after binding or unbinding, ours reads /user/me again so that session.user.providers (what <auth-profile> lists) is current; the SDK leaves its cached user stale until the next getUser',
    adjust: (ours) => ours.filter((c, i) => !(c.path === '/user/me' && ['/user/provider/bind', '/user/provider/github'].includes(ours[i - 1]?.path ?? ''))),
  },
};

describe('CloudBase: the official SDK against the emulation, and our client against the SDK', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing` }, () => {
  let vite: ViteDevServer;
  let reference: ReferenceServer;
  let browser: Browser;
  let origin: string;
  let serial = 0;
  /** The SDK's requests per flow, recorded by the interop tests for the parity tests. */
  const sdkCalls = new Map<string, Call[]>();

  before(async () => {
    // The page's port first: the reference server trusts that origin, and the page knows its URL.
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    // No send interval: the SDK and our client each send a code to the same seeded phone.
    reference = await startReferenceServer({ port: 0, dataDir: null, allowedOrigins: [origin], policies: { sendIntervalSeconds: 0 }, log: () => {} });
    vite = await createServer({
      configFile: false,
      root: fileURLToPath(new URL('../..', import.meta.url)),
      logLevel: 'error',
      server: { host: '127.0.0.1', port, strictPort: true, hmr: false },
      define: { __REFERENCE_URL__: JSON.stringify(reference.url) },
      optimizeDeps: { include: ['@cloudbase/js-sdk'] },
    });
    await vite.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await vite?.close();
    await reference?.close();
  });

  const unique = (mode: Mode) => `${mode}${++serial}${Date.now() % 100000}`;
  /** The emulation's record of a user, by username or email (read in Node: no request of the page). */
  const userRecord = (login: string) => reference.store.collection<UserRecord>('cloudbase.users').find((u) => u.username === login || u.email === login);
  const code = (to: string) => reference.outbox.latestCode(to, 'cloudbase')!;
  const captchaAnswer = () => reference.outbox.list({ backend: 'cloudbase' }).find((m) => m.purpose === 'captcha')!.code!;

  /** A call to the emulation from Node, as a site's own code would make it (setup only). */
  async function api(path: string, body: object): Promise<Record<string, string>> {
    const res = await fetch(`${reference.url}/cloudbase${path}${path.startsWith('/auth') ? '?client_id=demo-env' : ''}`, { method: 'POST', headers: { 'x-device-id': 'interop-setup', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, string>;
    assert.equal(res.status, 200, JSON.stringify(json));
    return json;
  }

  /** A new user with an email and a password, made outside the recorded part. */
  async function newUser(email: string, password = PASSWORD) {
    const sent = await api('/auth/v1/verification', { email, usage: 'email' });
    const verified = await api('/auth/v1/verification/verify', { verification_id: sent.verification_id, verification_code: code(email) });
    await api('/auth/v1/signup', { email, password, verification_token: verified.verification_token });
  }

  async function open(mode: Mode, options: { accessKey?: string } = { accessKey: PUBLISHABLE_KEY }): Promise<Page> {
    const context = await browser.newContext();
    await context.addInitScript((value) => void ((window as unknown as { __interop: unknown }).__interop = value), { ...options, mode });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[${mode}] ${error.message}`));
    page.on('load', () => loads.set(page, (loads.get(page) ?? 0) + 1));
    await page.goto(`${origin}/test/e2e/cloudbase/index.html`);
    await ready(page, mode);
    return page;
  }

  const ready = (page: Page, mode: Mode) => page.waitForFunction((m) => !!(window as unknown as Record<string, unknown>)[m], mode, { timeout: ROUND_TRIP });

  /** Signs in by password (not recorded: the calls are cleared after). */
  async function signedIn(page: Page, mode: Mode, username = 'demo', password = PASSWORD) {
    const error = await page.evaluate(
      async ([m, u, p]) => (m === 'sdk' ? (await window.sdk!.signInWithPassword({ username: u!, password: p! })).error?.message : (await window.ours!.signInWithPassword({ username: u, password: p })).error?.message) ?? null,
      [mode, username, password] as const,
    );
    assert.equal(error, null);
    await page.evaluate(() => window.clearCalls());
  }

  /** Who the page holds now (the SDK's session, or ours). */
  async function who(page: Page, mode: Mode): Promise<{ id?: string; email?: string; name?: string; providers?: string[] } | null> {
    return page.evaluate(async (m) => {
      if (m === 'sdk') {
        const { data } = await window.sdk!.getSession();
        const user = data.session?.user as { id?: string; email?: string; user_metadata?: { name?: string }; identities?: Array<{ provider: string }> } | undefined;
        return user ? { id: user.id, email: user.email || undefined, name: user.user_metadata?.name, providers: user.identities?.map((i) => i.provider) } : null;
      }
      const user = window.ours!.state.user;
      return user ? { id: user.id, email: user.email, name: user.name, providers: (user.providers as Array<{ id: string }> | undefined)?.map((p) => p.id) } : null;
    }, mode);
  }

  /** Pages loaded in each tab, counted so that a test knows when a redirect has settled. */
  const loads = new WeakMap<Page, number>();

  /**
   * The third party's consent page (a local stand-in): Continue, then back to the page. The SDK
   * loads the page once more after it completed the return (its restoreUrlState), ours does not.
   */
  async function consent(page: Page, mode: Mode, name?: string) {
    await page.waitForURL((url) => url.pathname.endsWith('/provider/authorize'), { timeout: ROUND_TRIP });
    const before = loads.get(page) ?? 0;
    if (name) await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitFor(() => (loads.get(page) ?? 0) >= before + (mode === 'sdk' ? 2 : 1), 'back on the page', { timeout: ROUND_TRIP });
    await ready(page, mode);
  }

  /** Each flow does its action and checks its outcome in one mode; the recorded calls are its wire. */
  const flows: Array<{ name: string; run(page: Page, mode: Mode): Promise<void> }> = [
    ...(['username', 'email', 'phone'] as const).map((kind) => ({
      name: `password sign-in by ${kind}`,
      async run(page: Page, mode: Mode) {
        const identifier = { username: { username: 'demo' }, email: { email: 'demo@example.com' }, phone: mode === 'sdk' ? { phone: '13800000000' } : { phone: '+8613800000000' } }[kind];
        const error = await page.evaluate(
          async ([m, id, p]) => (m === 'sdk' ? (await window.sdk!.signInWithPassword({ ...id, password: p } as never)).error?.message : (await window.ours!.signInWithPassword({ ...id, password: p })).error?.message) ?? null,
          [mode, identifier, PASSWORD] as const,
        );
        assert.equal(error, null);
        assert.equal((await who(page, mode))?.email, 'demo@example.com');
      },
    })),
    ...(['phone', 'email'] as const).map((channel) => ({
      name: `code sign-in by ${channel}`,
      async run(page: Page, mode: Mode) {
        const params = channel === 'phone' ? { phone: mode === 'sdk' ? '13800000000' : '+8613800000000' } : { email: 'demo@example.com' };
        const sent = await page.evaluate(async ([m, p]) => {
          const { data, error } = m === 'sdk' ? await window.sdk!.signInWithOtp(p as never) : await window.ours!.signInWithOtp(p);
          window.later.verify = data.verifyOtp;
          return error?.message ?? null;
        }, [mode, params] as const);
        assert.equal(sent, null);
        const token = code(channel === 'phone' ? '+86 13800000000' : 'demo@example.com');
        const error = await page.evaluate(async (t) => (await (window.later.verify as (p: { token: string }) => Promise<{ error: { message: string } | null }>)({ token: t })).error?.message ?? null, token);
        assert.equal(error, null);
        assert.equal((await who(page, mode))?.email, 'demo@example.com');
      },
    })),
    {
      name: 'sign-up by email with a code',
      async run(page, mode) {
        const email = `sign-up-${unique(mode)}@example.com`;
        const sent = await page.evaluate(async ([m, e, p]) => {
          const { data, error } = m === 'sdk' ? await window.sdk!.signUp({ email: e, password: p } as never) : await window.ours!.signUp({ email: e, password: p });
          window.later.verify = m === 'sdk' ? (data as { verifyOtp: unknown }).verifyOtp : (params: { token: string }) => window.ours!.verifyOtp(params);
          return error?.message ?? null;
        }, [mode, email, 'long-password'] as const);
        assert.equal(sent, null);
        const error = await page.evaluate(async (t) => (await (window.later.verify as (p: { token: string }) => Promise<{ error: { message: string } | null }>)({ token: t })).error?.message ?? null, code(email));
        assert.equal(error, null);
        assert.equal((await who(page, mode))?.email, email);
      },
    },
    {
      name: 'anonymous sign-in',
      async run(page, mode) {
        const error = await page.evaluate(async (m) => (m === 'sdk' ? (await window.sdk!.signInAnonymously({})).error?.message : (await window.ours!.signInAnonymously()).error?.message) ?? null, mode);
        assert.equal(error, null);
        assert.ok((await who(page, mode))?.id);
      },
    },
    {
      name: 'OAuth round trip (GitHub stand-in)',
      async run(page, mode) {
        await page.evaluate((m) => void (m === 'sdk' ? window.sdk!.signInWithOAuth({ provider: 'github' }) : window.ours!.signInWithOAuth({ provider: 'github' })), mode);
        await consent(page, mode);
        await waitFor(async () => !!(await who(page, mode)), 'signed in after the return', { timeout: ROUND_TRIP, interval: 100 });
        assert.equal((await who(page, mode))?.name, 'Demo GitHub user');
      },
    },
    {
      name: 'refresh',
      async run(page, mode) {
        await signedIn(page, mode);
        const error = await page.evaluate(async (m) => (m === 'sdk' ? (await window.sdk!.refreshSession()).error?.message : (await window.ours!.refreshSession()).error?.message) ?? null, mode);
        assert.equal(error, null);
      },
    },
    {
      name: 'getUser',
      async run(page, mode) {
        await signedIn(page, mode);
        const email = await page.evaluate(async (m) => (m === 'sdk' ? (await window.sdk!.getUser()).data.user?.email : (await window.ours!.getUser()).data.user?.email), mode);
        assert.equal(email, 'demo@example.com');
      },
    },
    {
      name: 'sign-out',
      async run(page, mode) {
        await signedIn(page, mode);
        const error = await page.evaluate(async (m) => (m === 'sdk' ? (await window.sdk!.signOut()).error?.message : (await window.ours!.signOut()).error?.message) ?? null, mode);
        assert.equal(error, null);
        assert.equal(await who(page, mode), null);
      },
    },
    {
      name: 'captcha',
      async run(page, mode) {
        const done = page.evaluate(async ([m, p]) => {
          if (m === 'sdk') return (await window.sdk!.signInWithPassword({ username: 'captcha', password: p })).error?.message ?? null;
          const first = await window.ours!.signInWithPassword({ username: 'captcha', password: p });
          return first.data.step?.kind ?? first.error?.message ?? 'no step';
        }, [mode, PASSWORD] as const);
        if (mode === 'sdk') {
          // The SDK's own modal: an image, an input and a "确定" (OK) button.
          await page.locator('#captcha-image').waitFor({ timeout: ROUND_TRIP });
          await page.getByPlaceholder('输入字符').fill(captchaAnswer());
          await page.getByRole('button', { name: '确定' }).click();
          assert.equal(await done, null);
        } else {
          assert.equal(await done, 'captcha');
          const error = await page.evaluate(async (text) => (await window.ours!.answerCaptcha({ text })).error?.message ?? null, captchaAnswer());
          assert.equal(error, null);
        }
        assert.equal((await who(page, mode))?.email, 'captcha@example.com');
      },
    },
    {
      name: 'updateUser (name)',
      async run(page, mode) {
        await signedIn(page, mode);
        const name = `Renamed ${unique(mode)}`;
        const error = await page.evaluate(async ([m, n]) => (m === 'sdk' ? (await window.sdk!.updateUser({ name: n } as never)).error?.message : (await window.ours!.updateUser({ name: n })).error?.message) ?? null, [mode, name] as const);
        assert.equal(error, null);
        assert.equal(userRecord('demo')?.name, name);
        await page.waitForFunction(() => window.events().includes('USER_UPDATED'), null, { timeout: ROUND_TRIP });
        await page.evaluate(async ([m]) => void (m === 'sdk' ? await window.sdk!.updateUser({ name: 'Demo User' } as never) : await window.ours!.updateUser({ name: 'Demo User' })), [mode] as const);
      },
    },
    {
      name: 'updateUser (email, with a code)',
      async run(page, mode) {
        const before = `change-${unique(mode)}@example.com`;
        const after = `changed-${unique(mode)}@example.com`;
        await newUser(before);
        await signedIn(page, mode, before);
        const sent = await page.evaluate(async ([m, e]) => {
          if (m === 'sdk') {
            const { data, error } = await window.sdk!.updateUser({ email: e } as never);
            window.later.verify = (token: string) => (data as { verifyOtp(p: { email: string; token: string }): Promise<{ error: { message: string } | null }> }).verifyOtp({ email: e, token });
            return error?.message ?? null;
          }
          const { data, error } = await window.ours!.updateUser({ email: e });
          window.later.verify = (code: string) => window.ours!.verifyContact({ code });
          return error?.message ?? (data.step?.kind === 'verify_contact' ? null : 'no verify_contact step');
        }, [mode, after] as const);
        assert.equal(sent, null);
        const error = await page.evaluate(async (t) => (await (window.later.verify as (t: string) => Promise<{ error: { message: string } | null }>)(t)).error?.message ?? null, code(after));
        assert.equal(error, null);
        assert.equal(userRecord(after)?.email, after);
      },
    },
    {
      name: 'link and unlink',
      async run(page, mode) {
        await signedIn(page, mode);
        await page.evaluate((m) => void (m === 'sdk' ? window.sdk!.linkIdentity({ provider: 'github' }) : window.ours!.linkIdentity({ provider: 'github' })), mode);
        // An identity of its own: the OAuth test's GitHub person already has an account.
        await consent(page, mode, `Linked ${unique(mode)}`);
        await page.waitForFunction(() => window.events().includes('BIND_IDENTITY'), null, { timeout: ROUND_TRIP });
        assert.deepEqual(userRecord('demo')?.providers.map((p) => p.id), ['github']);
        const error = await page.evaluate(async (m) => (m === 'sdk' ? (await window.sdk!.unlinkIdentity({ provider: 'github' })).error?.message : (await window.ours!.unlinkIdentity({ provider: 'github' })).error?.message) ?? null, mode);
        assert.equal(error, null);
        assert.deepEqual(userRecord('demo')?.providers, []);
      },
    },
    {
      name: 'password reset',
      async run(page, mode) {
        const email = `reset-${unique(mode)}@example.com`;
        await newUser(email);
        await page.evaluate(() => window.clearCalls());
        const sent = await page.evaluate(async ([m, e]) => {
          const { data, error } = m === 'sdk' ? await window.sdk!.resetPasswordForEmail(e) : await window.ours!.resetPasswordForEmail(e);
          window.later.reset = m === 'sdk'
            ? (nonce: string, password: string) => (data as { updateUser(p: { nonce: string; password: string }): Promise<unknown> }).updateUser({ nonce, password })
            : (code: string, newPassword: string) => window.ours!.completeRecovery({ code, newPassword });
          return error?.message ?? null;
        }, [mode, email] as const);
        assert.equal(sent, null);
        const error = await page.evaluate(async (c) => ((await (window.later.reset as (c: string, p: string) => Promise<{ error: { message: string } | null }>)(c, 'new-password-1')).error?.message ?? null), code(email));
        assert.equal(error, null);
        assert.equal((await who(page, mode))?.email, email);
        await page.waitForFunction(() => window.events().includes('PASSWORD_RECOVERY'), null, { timeout: ROUND_TRIP });
      },
    },
    {
      name: 'custom ticket',
      async run(page, mode) {
        const uid = `site-user-${unique(mode)}`;
        const { ticket } = await api('/custom/ticket', { uid });
        const error = await page.evaluate(async ([m, t]) => (m === 'sdk' ? (await window.sdk!.signInWithCustomTicket(async () => t)).error?.message : (await window.ours!.signInWithCustomTicket(async () => t)).error?.message) ?? null, [mode, ticket] as const);
        assert.equal(error, null);
        assert.equal((await who(page, mode))?.name, uid);
      },
    },
    {
      name: 'signInWithIdToken',
      async run(page, mode) {
        const { id_token } = await api('/auth/v1/provider/demo-idp/id_token', { provider_id: 'google', sub: `g-${unique(mode)}`, name: 'Gee User' });
        const error = await page.evaluate(async ([m, t]) => (m === 'sdk' ? (await window.sdk!.signInWithIdToken({ provider: 'google', token: t } as never)).error?.message : (await window.ours!.signInWithIdToken({ provider: 'google', token: t })).error?.message) ?? null, [mode, id_token] as const);
        assert.equal(error, null);
        assert.equal((await who(page, mode))?.name, 'Gee User');
      },
    },
  ];

  for (const flow of flows) {
    test(`SDK: ${flow.name}`, async () => {
      const page = await open('sdk');
      try {
        await flow.run(page, 'sdk');
        sdkCalls.set(flow.name, await page.evaluate(() => window.calls()));
        if (process.env.DUMP) console.log(`## ${flow.name}\n${sdkCalls.get(flow.name)!.map(show).join("\n")}`);
      } finally {
        await page.context().close();
      }
    });
  }

  for (const flow of flows) {
    test(`parity: ${flow.name}`, async () => {
      const expected = sdkCalls.get(flow.name);
      assert.ok(expected, 'the SDK test of this flow ran first');
      const page = await open('ours');
      try {
        await flow.run(page, 'ours');
        let ours: Call[] = await page.evaluate(() => window.calls());
        if (EXPLAINED[flow.name]) ours = EXPLAINED[flow.name]!.adjust(ours);
        assert.deepEqual(ours.map(show), expected.map(show));
      } finally {
        await page.context().close();
      }
    });
  }
});
