// What the benchmark loads (issue 19): the bare Lit floor, the bare Lit card, our script tag and
// our ESM path for <auth-login> with one backend, and Hanko Elements 2.7; each page, the app it
// loads and the element whose first <input> is timed.
import type { App } from './build.js';

export interface Page {
  id: string;
  label: string;
  /** The element whose first `<input>` (in its shadow root or light DOM) is timed. */
  tag: string;
  /** Whether the session-cost reload is measured here (pages whose client announces INITIAL_SESSION on the DOM). */
  session: boolean;
  html: (origin: string) => string;
}

export const FLOOR = 'floor';
/**
 * The bare Lit card: our card's markup and styles, captured from the ESM page in the same run
 * and drawn by a Lit element with no logic (bench/build.ts, buildCard): what drawing the card
 * itself costs, against which the rest of our first input is our code.
 */
export const CARD = 'card';
/** The script-tag page: dist/auth-elements.iife.js and its chunks (dist/script/), copied under /iife/. */
export const SCRIPT_TAG = 'iife';
/** The one backend both of our pages use (bench/apps/login.ts names it too). */
export const BACKEND = 'zhuyun-idaas';

/** Apps bundled as an application would be (bench/build.ts), served under /<id>/. */
export const APPS: App[] = [
  { id: FLOOR, label: 'bare Lit element, one input', entry: 'floor' },
  { id: 'login', label: 'ours, ESM: configure() + providers/zhuyun-idaas + auth-login', entry: 'login' },
  { id: 'hanko', label: 'Hanko Elements 2.7', entry: 'hanko' },
  { id: 'session-tabs', label: 'session-cost page', entry: 'session-tabs' },
];

const doc = (head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>auth-elements bench</title>${head}</head><body>${body}</body></html>`;
/** Each app's static chunks (bench/run.ts fills it once built), linked as Vite's index.html links them. */
export const PRELOADS = new Map<string, string[]>();
const module = (id: string) =>
  `${(PRELOADS.get(id) ?? []).map((file) => `<link rel="modulepreload" crossorigin href="/${id}/${file}">`).join('')}<script type="module" crossorigin src="/${id}/app.js"></script>`;

/** The pages timed in Chromium, alternated in every round; the first is the floor. */
export const PAGES: Page[] = [
  { id: FLOOR, label: 'bare Lit element (floor)', tag: 'bench-floor', session: false, html: () => doc(module(FLOOR), '<bench-floor></bench-floor>') },
  // Under our element's name, so that the card's styles (`:where(auth-login)`) apply as in ours.
  { id: CARD, label: "bare Lit card: our card's markup and styles, static", tag: 'auth-login', session: false, html: () => doc(module(CARD), '<auth-login></auth-login>') },
  {
    id: SCRIPT_TAG,
    label: `ours, script tag: <auth-config provider="${BACKEND}"> + <auth-login>`,
    tag: 'auth-login',
    session: true,
    // `defer`, like the module scripts of the other pages, so that none of them blocks parsing.
    html: (origin) =>
      doc(
        `<script defer src="/${SCRIPT_TAG}/auth-elements.iife.js"></script>`,
        `<auth-config provider="${BACKEND}" base-url="${origin}/idp/zhuyun" client-id="bench"><auth-login></auth-login></auth-config>`,
      ),
  },
  { id: 'login', label: `ours, ESM: configure() + providers/${BACKEND} + auth-login`, tag: 'auth-login', session: true, html: () => doc(module('login'), '<auth-login></auth-login>') },
  { id: 'hanko', label: 'Hanko Elements 2.7: register() + <hanko-auth>', tag: 'hanko-auth', session: false, html: () => doc(module('hanko'), '<hanko-auth></hanko-auth>') },
];

export const SESSION_PAGE = (clients: number) => `/session-tabs/index.html?clients=${clients}`;
export const sessionTabsHtml = () => doc(module('session-tabs'), '');
