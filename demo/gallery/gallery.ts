// One view of one element per page load, for `npm run gallery`: `?scene=<name>&lang=en|zh-CN
// &theme=light|dark`. Each scene drives the element the way a person would (typing, submitting)
// against an in-memory backend, then sets <body data-ready> for the screenshot.
import '../../src/define.js';
import { AuthError } from '../../src/contract/index.js';
import type { AuthConfig } from '../../src/components/auth-config/auth-config.js';
import { fakeAdapter, withAccount, type FakeAdapter } from '../../test/support/fake-adapter.js';

const params = new URLSearchParams(location.search);
const scene = params.get('scene') ?? 'login';
document.documentElement.lang = params.get('lang') ?? 'en';
if (params.get('theme') === 'dark') document.body.classList.add('dark');

type Scene = { tag: 'auth-login' | 'auth-user' | 'auth-profile'; adapter?: (adapter: FakeAdapter) => void; attributes?: Record<string, string>; run?: (element: HTMLElement, adapter: FakeAdapter, config: AuthConfig) => Promise<void> };

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => unknown): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await wait(10);
}
const input = (element: Element, name: string) => element.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
function type(element: Element, name: string, value: string) {
  const field = input(element, name);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
const submit = (element: Element, name: string) => input(element, name).form!.requestSubmit();
const click = (element: Element, text: string) => [...element.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)?.click();
const buttonText = (en: string, zh: string) => (document.documentElement.lang === 'zh-CN' ? zh : en);

async function signIn(element: Element, email: string, password = 'right') {
  type(element, 'username', email);
  type(element, 'password', password);
  submit(element, 'password');
}

const passwordOnly = (adapter: FakeAdapter) => {
  adapter.capabilities.otp = [];
  adapter.capabilities.oauth = [];
};

const scenes: Record<string, Scene> = {
  login: { tag: 'auth-login' },
  'login-error': {
    tag: 'auth-login',
    run: async (element) => {
      await signIn(element, 'ana@example.com', 'wrong');
      await until(() => element.querySelector('[role="alert"]')?.textContent);
    },
  },
  'login-invalid': {
    tag: 'auth-login',
    run: async (element) => {
      type(element, 'username', 'not-an-email');
      submit(element, 'password');
      await until(() => element.querySelector('[aria-invalid="true"]'));
    },
  },
  'login-busy': {
    tag: 'auth-login',
    adapter: (adapter) => (adapter.signInWithPassword = () => new Promise(() => {})),
    run: async (element) => {
      await signIn(element, 'ana@example.com');
      await until(() => element.querySelector('fieldset:disabled'));
    },
  },
  'login-code': {
    tag: 'auth-login',
    run: async (element) => {
      click(element, buttonText('Code', '验证码登录'));
      await until(() => input(element, 'region'));
    },
  },
  'login-code-sent': {
    tag: 'auth-login',
    run: async (element) => {
      click(element, buttonText('Code', '验证码登录'));
      await until(() => input(element, 'region'));
      type(element, 'username', '13800000000');
      submit(element, 'username');
      await until(() => input(element, 'one-time-code'));
    },
  },
  'login-phone': { tag: 'auth-login', adapter: (adapter) => ((adapter.capabilities.password = ['phone', 'email', 'username']), passwordOnly(adapter)) },
  'sign-up': { tag: 'auth-login', attributes: { view: 'sign-up' } },
  'sign-up-code': {
    tag: 'auth-login',
    attributes: { view: 'sign-up' },
    run: async (element) => {
      type(element, 'username', 'new@example.com');
      type(element, 'password', 'a-new-Passw0rd');
      submit(element, 'password');
      await until(() => input(element, 'one-time-code'));
    },
  },
  forgot: {
    tag: 'auth-login',
    run: async (element) => {
      click(element, buttonText('Forgot password?', '忘记密码？'));
      await until(() => !input(element, 'password') && input(element, 'username'));
    },
  },
  recovery: {
    tag: 'auth-login',
    run: async (element) => {
      click(element, buttonText('Forgot password?', '忘记密码？'));
      await until(() => !input(element, 'password') && input(element, 'username'));
      type(element, 'username', 'ana@example.com');
      submit(element, 'username');
      await until(() => input(element, 'one-time-code'));
    },
  },
  'password-expired': {
    tag: 'auth-login',
    adapter: (adapter) => (adapter.steps['old@example.com'] = { kind: 'password_change', required: true, policy: { minLength: 8, tip: '至少包含数字、大写字母、小写字母和特殊字符中的3种' }, context: 's' }),
    run: async (element) => {
      await signIn(element, 'old@example.com');
      await until(() => input(element, 'new-password'));
    },
  },
  'second-factor': {
    tag: 'auth-login',
    adapter: (adapter) => (adapter.steps['mfa@example.com'] = { kind: 'second_factor', methods: ['sms', 'email'], target: '138****0000', context: 'f' }),
    run: async (element) => {
      await signIn(element, 'mfa@example.com');
      await until(() => input(element, 'one-time-code'));
    },
  },
  // The step's views could not load (scripts/gallery.mjs refuses their chunk): the form says so.
  'step-offline': {
    tag: 'auth-login',
    adapter: (adapter) => (adapter.steps['mfa@example.com'] = { kind: 'second_factor', methods: ['sms', 'email'], target: '138****0000', context: 'f' }),
    run: async (element) => {
      await signIn(element, 'mfa@example.com');
      await until(() => element.querySelector('[role="alert"]')?.textContent);
    },
  },
  captcha: {
    tag: 'auth-login',
    adapter: (adapter) => adapter.captchaFor.add('bot@example.com'),
    run: async (element) => {
      await signIn(element, 'bot@example.com');
      await until(() => input(element, 'captcha'));
    },
  },
  consent: {
    tag: 'auth-login',
    adapter: (adapter) => adapter.consentFor.add('terms@example.com'),
    run: async (element) => {
      await signIn(element, 'terms@example.com');
      await until(() => input(element, 'consent'));
    },
  },
  'signed-in': {
    tag: 'auth-login',
    run: async (element) => {
      await signIn(element, 'ana@example.com');
      await until(() => !input(element, 'password'));
    },
  },
  'sso-only': { tag: 'auth-login', adapter: (adapter) => ((adapter.capabilities.password = []), (adapter.capabilities.otp = [])) },
  user: {
    tag: 'auth-user',
    attributes: { 'profile-url': '#account' },
    run: async (_element, _adapter, config) => {
      await config.client!.setSession({ access_token: 'a', expires_in: 3600, user: { id: 'u1', name: 'Ana Lima', email: 'ana@example.com' } });
    },
  },
  'user-phone': {
    tag: 'auth-user',
    run: async (_element, _adapter, config) => {
      await config.client!.setSession({ access_token: 'a', expires_in: 3600, user: { id: 'u2', name: '', phone: '+8613800000000' } });
    },
  },
  profile: profileScene(),
  'profile-edit': profileScene((element) => click(element, buttonText('Edit', '编辑'))),
  'profile-email-code': profileScene(async (element) => {
    click(element, buttonText('Change', '更改'));
    await until(() => element.querySelector('input[name="email"]'));
    type(element, 'email', 'ana.lima@example.com');
    submit(element, 'email');
    await until(() => element.querySelector('input[name="one-time-code"]'));
    type(element, 'one-time-code', '000000');
    submit(element, 'one-time-code');
    await until(() => element.querySelector('[role="alert"]')?.textContent);
  }),
  'profile-unlink': profileScene((element) => click(element, buttonText('Unlink', '解除关联'))),
};

/** <auth-profile> of a person signed in to a backend that lets them change everything; then `then`. */
function profileScene(then?: (element: HTMLElement) => unknown): Scene {
  return {
    tag: 'auth-profile',
    adapter: everything,
    run: async (element, _adapter, config) => {
      await signInAna(config);
      await element.ownerDocument.querySelector('auth-profile')?.updateComplete;
      await then?.(element);
    },
  };
}

/** A backend that lets the person change everything (CloudBase's account, plus a password). */
function everything(adapter: FakeAdapter) {
  withAccount(adapter, { profile: ['name', 'picture'], email: true, phone: true, password: true, identities: ['github', 'wx_open'] });
}

/** Passkeys listed from a data: URL, as a passkey service would answer. */
const PASSKEY_LIST = `data:application/json,${encodeURIComponent(JSON.stringify([{ id: 'k1', created_at: '2026-11-02T09:00:00Z', last_used_at: '2026-12-01T08:30:00Z' }]))}`;

async function signInAna(config: AuthConfig) {
  await config.client!.setSession({ access_token: 'a', expires_in: 3600, user: { id: 'u1', name: 'Ana Lima', email: 'ana@example.com', email_verified: true, phone: '+8613800000000', identities: [{ provider: 'github' }] } });
}

async function main() {
  const chosen = scenes[scene];
  if (!chosen) throw new AuthError('invalid_request', { providerCode: `unknown scene ${scene}` });
  const adapter = fakeAdapter();
  adapter.capabilities.oauth = ['github', 'wx_open'];
  chosen.adapter?.(adapter);
  const config = document.createElement('auth-config') as AuthConfig;
  config.setAttribute('storage', 'memory');
  config.options = {
    provider: adapter,
    passkeys: { authenticationOptionsUrl: '/passkeys/options', authenticationVerifyUrl: '/passkeys/verify', optionsUrl: '/passkeys/register', verifyUrl: '/passkeys/register/verify', credentialsUrl: PASSKEY_LIST },
  };
  const element = document.createElement(chosen.tag);
  for (const [name, value] of Object.entries(chosen.attributes ?? {})) element.setAttribute(name, value);
  element.setAttribute('no-autofill', '');
  config.append(element);
  document.getElementById('stage')!.append(config);
  await config.client!.ready;
  await (element as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
  await chosen.run?.(element, adapter, config);
  await wait(50);
  (document.activeElement as HTMLElement | null)?.blur();
  document.body.dataset.ready = 'true';
}

void main();
