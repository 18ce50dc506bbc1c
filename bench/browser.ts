// The Chromium half: load timing, heap and script time per page, and the session cost.
import { chromium, type Browser, type BrowserContext, type Page as PwPage } from 'playwright-core';
import type { CapturedCard } from './build.js';
import { PipeBrowser } from './pipe.js';
import type { BenchServer } from './server.js';
import { SESSION_PAGE, type Page } from './pages.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** The same Chromium, driven over its pipe without Playwright: for the page timings (bench/pipe.ts says why). */
export function launchPipe(): Promise<PipeBrowser> {
  return PipeBrowser.launch(CHROMIUM, ARGS);
}

interface PageProbe {
  first: number | null;
  /** What the page had fetched when its first input appeared (resource timing): path, start, end. */
  atFirst: Array<{ path: string; start: number; end: number }> | null;
  initialSession: number | null;
  requests: Array<{ t: number; url: string }>;
  /** What `<auth-login>` showed, each time it changed, with the animation frames run by then. */
  shown: Array<{ t: number; what: Shown; frame: number }>;
}

/** What a card shows at a moment: nothing yet, the sign-in form, a part still loading, or who is signed in. */
export type Shown = 'nothing' | 'sign-in form' | 'busy' | 'signed in';
declare global {
  interface Window {
    __bench?: PageProbe;
    benchClient?: { adapter: { key: string; type: string }; state: { status: string } };
  }
}

/**
 * Runs in every page before its scripts. Records the moment the element's first control enters
 * the DOM (a MutationObserver over the document and every shadow root) with what the page had
 * fetched by then, every fetch/XHR the page makes, and when INITIAL_SESSION is announced on the DOM.
 */
function probe({ tag, control }: { tag: string; control: string }): void {
  const state: PageProbe = { first: null, atFirst: null, initialSession: null, requests: [], shown: [] };
  window.__bench = state;
  // The light DOM of the <auth-login>, after every change: what a person sees in it, and how many
  // animation frames had run (what changed again before the next one was never painted). No
  // named function here: this runs as its source text, without the bundler's helpers.
  const frames: { count: number; tick?: () => void } = { count: 0 };
  frames.tick = () => {
    frames.count++;
    requestAnimationFrame(frames.tick!);
  };
  requestAnimationFrame(frames.tick);
  new MutationObserver(() => {
    const card = document.querySelector('auth-login');
    const what: Shown = card?.querySelector('[part~="user"]') ? 'signed in' : card?.querySelector('[aria-busy="true"]') ? 'busy' : card?.querySelector('input') ? 'sign-in form' : 'nothing';
    if (state.shown.at(-1)?.what !== what) state.shown.push({ t: performance.now(), what, frame: frames.count });
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
  const observer = new MutationObserver((records) => {
    if (state.first !== null) return;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        const found = node.matches(control) ? node : node.querySelector(control);
        if (!found) continue;
        const root = found.getRootNode();
        const host = root instanceof ShadowRoot ? root.host : found.closest(tag);
        if (host?.localName === tag) {
          state.first = performance.now();
          state.atFirst = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((entry) => ({
            path: new URL(entry.name).pathname,
            start: entry.startTime,
            end: entry.responseEnd,
          }));
          observer.disconnect();
          return;
        }
      }
    }
  });
  observer.observe(document, { childList: true, subtree: true });
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
    const root = attachShadow.call(this, init);
    if (state.first === null) observer.observe(root, { childList: true, subtree: true });
    return root;
  };
  const fetch = window.fetch;
  window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    state.requests.push({ t: performance.now(), url: String(input instanceof Request ? input.url : input) });
    return fetch.call(this, input, init);
  } as typeof window.fetch;
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: Parameters<typeof open>) {
    state.requests.push({ t: performance.now(), url: String(args[1]) });
    return open.apply(this, args);
  } as typeof open;
  addEventListener(
    'auth-state-change',
    (event) => {
      if ((event as CustomEvent<{ event?: string }>).detail?.event === 'INITIAL_SESSION' && state.initialSession === null) {
        state.initialSession = performance.now();
      }
    },
    true,
  );
}

export interface Sample {
  firstControl: number;
  heap: number;
  script: number;
  /** Paths requested (besides the page itself) before the first input appeared. */
  requestedBefore: string[];
  /** Paths fully loaded before the first input appeared, and all the page loaded once the network was idle. */
  loadedBefore: string[];
  loadedSettled: string[];
}

/** What a page tells about itself once its first input appeared (see probe()). */
interface Seen {
  first: number;
  atFirst: Array<{ path: string; start: number; end: number }>;
  settled: string[];
}

/**
 * One cold load of `page` in a fresh browser context of the pipe-driven Chromium (bench/pipe.ts:
 * no DevTools domain watches the network, so the page pays nothing for being measured).
 */
async function measureOnce(browser: PipeBrowser, origin: string, page: Page): Promise<Sample> {
  const { browserContextId } = await browser.send<{ browserContextId: string }>('Target.createBrowserContext', { disposeOnDetach: true });
  try {
    const { targetId } = await browser.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank', browserContextId });
    const { sessionId } = await browser.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const send = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}) => browser.send<T>(method, params, sessionId);
    // The value of `expression` in the page (a promise's, awaited); undefined while a navigation replaces the document.
    const value = async <T>(expression: string): Promise<T | undefined> => {
      const answer = await send<{ result: { value?: T } }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }).catch(() => undefined);
      return answer?.result.value;
    };
    await send('Page.enable'); // the script below runs only with it
    await send('Page.addScriptToEvaluateOnNewDocument', { source: `(${probe.toString()})(${JSON.stringify({ tag: page.tag, control: 'input' })})` });
    await send('Performance.enable');
    await send('Page.navigate', { url: `${origin}/${page.id}/index.html` });
    const deadline = Date.now() + 15_000;
    while (!(await value<boolean>('window.__bench?.first != null'))) {
      if (Date.now() > deadline) throw new Error(`${page.id}: no first input within 15 s`);
      await new Promise((done) => setTimeout(done, 20));
    }
    // Let the page finish what it starts (an adapter chunk, an API call): no new resource for
    // 500 ms (5 s at most), two frames; then collect garbage so the heap is what stays.
    await value(`new Promise((done) => {
      let count = -1, quiet = 0, waited = 0;
      const tick = () => {
        const now = performance.getEntriesByType('resource').length;
        quiet = now === count ? quiet + 100 : 0;
        count = now;
        waited += 100;
        if (quiet >= 500 || waited >= 5000) requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
        else setTimeout(tick, 100);
      };
      tick();
    })`);
    await send('HeapProfiler.collectGarbage');
    const { metrics } = await send<{ metrics: Array<{ name: string; value: number }> }>('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    const seen = (await value<Seen>(`({
      first: window.__bench.first,
      atFirst: window.__bench.atFirst,
      settled: performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname),
    })`))!;
    // The browser's own favicon request is no part of any widget.
    seen.atFirst = seen.atFirst.filter((entry) => entry.path !== '/favicon.ico');
    return {
      firstControl: seen.first,
      heap: metric('JSHeapUsedSize'),
      script: metric('ScriptDuration') * 1000,
      requestedBefore: seen.atFirst.filter((entry) => entry.start <= seen.first).map((entry) => entry.path),
      loadedBefore: seen.atFirst.filter((entry) => entry.end > 0 && entry.end <= seen.first).map((entry) => entry.path),
      loadedSettled: seen.settled,
    };
  } finally {
    await browser.send('Target.disposeBrowserContext', { browserContextId }).catch(() => {});
  }
}

/**
 * Our card as `page` draws it before anyone acts (network idle): its light DOM, without Lit's
 * comment markers, and every rule the document adopted (our elements' styles live there).
 */
export async function captureCard(browser: Browser, origin: string, page: Page): Promise<CapturedCard> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.addInitScript(probe, { tag: page.tag, control: 'input' });
    await tab.goto(`${origin}/${page.id}/index.html`, { waitUntil: 'load' });
    await tab.waitForFunction(() => window.__bench?.first != null, null, { timeout: 15_000 });
    await tab.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    const card = await tab.evaluate(
      (tag) => ({
        markup: document.querySelector(tag)!.innerHTML.replace(/<!--[^]*?-->/g, ''),
        css: document.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join('\n'),
      }),
      page.tag,
    );
    if (!card.markup.includes('<input')) throw new Error(`${page.id}: no input in the captured card`);
    return { tag: page.tag, ...card };
  } finally {
    await context.close();
  }
}

/** `rounds` rounds over every page; the order alternates (forward, then backward) each round. */
export async function measurePages(browser: PipeBrowser, origin: string, pages: Page[], rounds: number, progress: (text: string) => void): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(pages.map((page) => [page.id, []]));
  // One unmeasured pass warms Chromium's own caches (code cache of its built-ins, the process pool).
  for (const page of pages) await measureOnce(browser, origin, page);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? pages : [...pages].reverse();
    for (const page of order) samples.get(page.id)!.push(await measureOnce(browser, origin, page));
    progress(`round ${round + 1}/${rounds}`);
  }
  return samples;
}

const fakeJwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

function storedSession(type: string, lifetime: number) {
  const now = Math.floor(Date.now() / 1000);
  return {
    access_token: fakeJwt({ sub: 'bench-user', iat: now, exp: now + lifetime }),
    token_type: 'Bearer',
    expires_in: lifetime,
    expires_at: now + lifetime,
    refresh_token: 'bench-refresh',
    user: { id: 'bench-user', name: 'Bench' },
    provider: type,
  };
}

export interface ReloadCost {
  page: string;
  restored: boolean;
  beforeInitial: number;
  /** Requests the page made in its first second, and what reached the server. */
  firstSecond: number;
  server: string[];
  /** What the card showed from navigation on (ms), each change once; `painted`: an animation frame ran while it was shown. */
  shown: Array<{ t: number; what: Shown; painted: boolean }>;
  note?: string;
}

/**
 * A returning visitor: a valid session (an hour left) is in localStorage; reload and count the
 * requests made before INITIAL_SESSION (target 0) and in the first second.
 */
export async function reloadCost(browser: Browser, server: BenchServer, page: Page): Promise<ReloadCost> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    await tab.addInitScript(probe, { tag: page.tag, control: 'input' });
    await tab.goto(`${server.origin}/${page.id}/index.html`, { waitUntil: 'load' });
    await tab.waitForFunction(() => window.__bench?.initialSession != null, null, { timeout: 10_000 });
    const stored = await tab.evaluate((make) => {
      const client = window.benchClient ?? (document.querySelector('auth-config') as unknown as { client: Window['benchClient'] } | null)?.client;
      if (!client) return null;
      const session = JSON.parse(make.replace('__TYPE__', client.adapter.type)) as unknown;
      localStorage.setItem(`auth-elements:${client.adapter.key}:session`, JSON.stringify(session));
      return client.adapter.key;
    }, JSON.stringify(storedSession('__TYPE__', 3600)));
    if (!stored) return { page: page.id, restored: false, beforeInitial: NaN, firstSecond: NaN, server: [], shown: [], note: 'no client found' };
    server.reset();
    await tab.reload({ waitUntil: 'load' });
    await tab.waitForFunction(() => window.__bench?.initialSession != null, null, { timeout: 10_000 });
    await tab.waitForTimeout(1000);
    const result = await tab.evaluate(() => {
      const client = window.benchClient ?? (document.querySelector('auth-config') as unknown as { client: Window['benchClient'] } | null)?.client;
      const probe = window.__bench!;
      return {
        status: client?.state.status ?? 'none',
        before: probe.requests.filter((r) => r.t <= probe.initialSession!).length,
        total: probe.requests.filter((r) => r.t <= probe.initialSession! + 1000).length,
        shown: probe.shown,
      };
    });
    const shown = result.shown.map(({ t, what, frame }, index, all) => ({ t, what, painted: index === all.length - 1 || all[index + 1]!.frame > frame }));
    return { page: page.id, restored: result.status === 'signed-in', beforeInitial: result.before, firstSecond: result.total, server: server.api.map((r) => `${r.method} ${r.path}`), shown };
  } finally {
    await context.close();
  }
}

export interface TabsCost {
  clients: number;
  mode: 'one page' | 'tabs';
  refreshRequests: number;
  /** Refresh tokens sent more than once (a rotating backend would end the session). */
  reused: number;
  providerCalls: number;
  refreshedClients: number;
  visible: boolean;
  seconds: number;
}

/**
 * Ten clients share one session that is about to expire (8 s lifetime: the refresh is due after
 * 4 s, once all are running). Either ten clients in one page or one client in each of ten tabs
 * of one browser context: same localStorage, BroadcastChannel and Web Locks. Counts the refresh
 * requests that reach the server (target 1) and how many clients end up with the new tokens.
 */
export async function tabsCost(browser: Browser, server: BenchServer, mode: TabsCost['mode'], clients = 10): Promise<TabsCost> {
  const context: BrowserContext = await browser.newContext();
  try {
    const setup = await context.newPage();
    await setup.goto(`${server.origin}${SESSION_PAGE(0)}`, { waitUntil: 'load' });
    await setup.evaluate((session) => localStorage.setItem('auth-elements:bench-tabs:session', session), JSON.stringify(storedSession('oidc', 8)));
    server.reset();
    const started = Date.now();
    const tabs: PwPage[] = [];
    if (mode === 'one page') {
      await setup.goto(`${server.origin}${SESSION_PAGE(clients)}`, { waitUntil: 'load' });
      tabs.push(setup);
    } else {
      for (let i = 0; i < clients; i++) {
        const tab = await context.newPage();
        await tab.goto(`${server.origin}${SESSION_PAGE(1)}`, { waitUntil: 'load' });
        tabs.push(tab);
      }
    }
    const read = () => Promise.all(tabs.map((tab) => tab.evaluate(() => {
      const bench = (window as unknown as { bench: { refreshCalls: number; refreshed: number } }).bench;
      return { calls: bench.refreshCalls, refreshed: bench.refreshed, visible: document.visibilityState === 'visible' };
    })));
    let states = await read();
    const deadline = started + 15_000;
    while (states.reduce((n, s) => n + s.refreshed, 0) < clients && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
      states = await read();
    }
    // A moment more, for a late duplicate to show up.
    await new Promise((done) => setTimeout(done, 500));
    states = await read();
    return {
      clients,
      mode,
      refreshRequests: server.refreshes,
      reused: server.spent.length - new Set(server.spent).size,
      providerCalls: states.reduce((n, s) => n + s.calls, 0),
      refreshedClients: states.reduce((n, s) => n + s.refreshed, 0),
      visible: states.every((s) => s.visible),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await context.close();
  }
}
