// One view of one element per page load, for `npm run gallery`: `?scene=<name>&lang=en|zh-CN
// &theme=light|dark`. Each scene drives the element the way a person would (typing, submitting)
// against an in-memory backend, then sets <body data-ready> for the screenshot.
import '../../src/define.js';
import { AuthError } from '../../src/contract/index.js';
import type { AuthConfig } from '../../src/components/auth-config/auth-config.js';
import { fakeAdapter, type FakeAdapter } from '../../test/support/fake-adapter.js';

const params = new URLSearchParams(location.search);
const scene = params.get('scene') ?? 'login';
document.documentElement.lang = params.get('lang') ?? 'en';
if (params.get('theme') === 'dark') document.body.classList.add('dark');

type Scene = { tag: 'auth-login' | 'auth-user'; adapter?: (adapter: FakeAdapter) => void; attributes?: Record<string, string>; run?: (element: HTMLElement, adapter: FakeAdapter, config: AuthConfig) => Promise<void> };

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
      await until(() => !input(element, 'password'));
    },
  },
  recovery: {
    tag: 'auth-login',
    run: async (element) => {
      click(element, buttonText('Forgot password?', '忘记密码？'));
      await until(() => !input(element, 'password'));
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
};

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
    passkeys: { authenticationOptionsUrl: '/passkeys/options', authenticationVerifyUrl: '/passkeys/verify' },
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
