// What the benchmark builds and loads: each app (bench/apps/<entry>.ts), the page that hosts it,
// and which control counts as the element's "first input".
import type { App } from './build.js';

export interface Page {
  id: string;
  label: string;
  /** The element whose first control is timed ('' for none), and that control (`input`, or `button` for social). */
  tag: string;
  control: 'input' | 'button';
  /** Whether the session-cost reload is measured here (pages whose client announces INITIAL_SESSION on the DOM). */
  session: boolean;
  html: (origin: string) => string;
}

export const FLOOR = 'floor';

/** Apps bundled for the size rows (and served to the pages below). */
export const APPS: Array<App & { sizeRow: boolean; budgetGzip?: number }> = [
  { id: 'password', label: '<auth-password> + zhuyun-idaas, configure()', entry: 'password', sizeRow: true, budgetGzip: 11 * 1024 },
  { id: 'password-direct', label: '<auth-password> + zhuyun-idaas, no registry', entry: 'password-direct', sizeRow: true, budgetGzip: 11 * 1024 },
  { id: 'otp', label: '<auth-otp> + cloudbase, configure()', entry: 'otp', sizeRow: true },
  { id: 'otp-direct', label: '<auth-otp> + cloudbase, no registry', entry: 'otp-direct', sizeRow: true },
  { id: 'social', label: '<auth-social> + oidc, configure()', entry: 'social', sizeRow: true },
  { id: 'social-direct', label: '<auth-social> + oidc, no registry', entry: 'social-direct', sizeRow: true },
  { id: 'config', label: '<auth-config provider="zhuyun-idaas"> + <auth-password>', entry: 'config', sizeRow: true },
  { id: FLOOR, label: 'bare Lit element, one input (floor)', entry: 'floor', sizeRow: true },
  { id: 'session-tabs', label: 'session-cost page', entry: 'session-tabs', sizeRow: false },
];

const doc = (head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>auth-elements bench</title>${head}</head><body>${body}</body></html>`;
const module = (id: string) => `<script type="module" src="/${id}/app.js"></script>`;
const zhuyunConfig = (origin: string, inner: string) =>
  `<auth-config provider="zhuyun-idaas" base-url="${origin}/idp/zhuyun" client-id="bench">${inner}</auth-config>`;

/** The pages timed in Chromium, alternated in every round. */
export const PAGES: Page[] = [
  // No script at all: Chromium's own heap and timing for an empty page, to read the others by.
  { id: 'blank', label: 'blank page, no script (reference)', tag: '', control: 'input', session: false, html: () => doc('', '<p>blank</p>') },
  { id: FLOOR, label: 'bare Lit element (floor)', tag: 'bench-floor', control: 'input', session: false, html: () => doc(module(FLOOR), '<bench-floor></bench-floor>') },
  {
    id: 'iife',
    label: 'script tag: <auth-config> + <auth-password>',
    tag: 'auth-password',
    control: 'input',
    session: true,
    // `defer`, like the module scripts of the other pages, so that none of them blocks parsing.
    html: (origin) => doc('<script defer src="/iife/auth-elements.iife.js"></script>', zhuyunConfig(origin, '<auth-password></auth-password>')),
  },
  { id: 'password', label: '<auth-password>, configure()', tag: 'auth-password', control: 'input', session: true, html: () => doc(module('password'), '<auth-password></auth-password>') },
  { id: 'password-direct', label: '<auth-password>, no registry', tag: 'auth-password', control: 'input', session: false, html: () => doc(module('password-direct'), '<auth-password></auth-password>') },
  { id: 'otp', label: '<auth-otp>, configure()', tag: 'auth-otp', control: 'input', session: true, html: () => doc(module('otp'), '<auth-otp></auth-otp>') },
  { id: 'social', label: '<auth-social>, configure() (first button)', tag: 'auth-social', control: 'button', session: true, html: () => doc(module('social'), '<auth-social></auth-social>') },
  { id: 'config', label: '<auth-config> + <auth-password>, ESM', tag: 'auth-password', control: 'input', session: true, html: (origin) => doc(module('config'), zhuyunConfig(origin, '<auth-password></auth-password>')) },
];

export const SESSION_PAGE = (clients: number) => `/session-tabs/index.html?clients=${clients}`;
export const sessionTabsHtml = () => doc(module('session-tabs'), '');
