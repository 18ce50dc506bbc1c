// The page of the CloudBase interop and wire-parity tests (test/e2e/cloudbase-sdk.node.test.ts):
// Tencent's own `@cloudbase/js-sdk` or our client (the test's `mode`), pointed at the
// reference server, with every request to its CloudBase emulation recorded in sessionStorage
// (so that a redirect round trip keeps them): method, path, query keys, body keys, Authorization.
import cloudbase from '@cloudbase/js-sdk';
import { AuthClient } from '../../../src/core/client.js';
import { cloudbaseProvider } from '../../../src/providers/cloudbase/cloudbase.js';

declare const __REFERENCE_URL__: string;

export interface RecordedCall {
  method: string;
  path: string;
  query: string[];
  /** Keys of the JSON body; null without a body. */
  body: string[] | null;
  authorization: boolean;
  contentType: string | null;
}

/** The SDK v3 auth methods the tests call (its typings describe the older v2 API). */
type SdkResult = Promise<{ data: Record<string, any>; error: { message: string } | null }>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type SdkAuth = Record<
  'signInWithPassword' | 'signInWithOtp' | 'signUp' | 'signInAnonymously' | 'signInWithOAuth' | 'signInWithIdToken' | 'signInWithCustomTicket' | 'refreshSession' | 'getUser' | 'getSession' | 'signOut' | 'updateUser' | 'linkIdentity' | 'unlinkIdentity' | 'resetPasswordForEmail',
  (...args: any[]) => SdkResult // eslint-disable-line @typescript-eslint/no-explicit-any
> & { onAuthStateChange(callback: (event: string) => void): unknown };

interface InteropOptions {
  /** Which client this page runs (set by the test before every load, so a redirect keeps it). */
  mode: 'sdk' | 'ours';
  /** The Publishable Key, when the test sets one. */
  accessKey?: string;
}

declare global {
  interface Window {
    __interop?: InteropOptions;
    /** The SDK's auth object (mode sdk). */
    sdk?: SdkAuth;
    /** Our client (mode ours). */
    ours?: AuthClient;
    /** onAuthStateChange events since the page was first opened (kept across a redirect), in order. */
    events(): string[];
    calls(): RecordedCall[];
    clearCalls(): void;
    /** Continuations a test keeps between two page.evaluate calls (verifyOtp, updateUser…). */
    later: Record<string, unknown>;
  }
}

const PREFIX = `${__REFERENCE_URL__}/cloudbase/auth/v1`;
const KEY = 'interop:calls';
const EVENTS = 'interop:events';

window.calls = () => JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as RecordedCall[];
window.clearCalls = () => sessionStorage.removeItem(KEY);
window.events = () => JSON.parse(sessionStorage.getItem(EVENTS) ?? '[]') as string[];
window.later = {};
const remember = (event: string) => sessionStorage.setItem(EVENTS, JSON.stringify([...window.events(), event]));

const nativeFetch = window.fetch.bind(window);
window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
  if (url.href.startsWith(PREFIX)) {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    let body: string[] | null = null;
    if (typeof init?.body === 'string') {
      try {
        body = Object.keys(JSON.parse(init.body) as object).sort();
      } catch {
        body = ['<not json>'];
      }
    }
    const call: RecordedCall = {
      method: (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase(),
      path: url.pathname.slice(new URL(PREFIX).pathname.length),
      query: [...new Set(url.searchParams.keys())].sort(),
      body,
      authorization: headers.has('authorization'),
      contentType: headers.get('content-type'),
    };
    sessionStorage.setItem(KEY, JSON.stringify([...window.calls(), call]));
  }
  return nativeFetch(input, init);
};

const options = window.__interop ?? { mode: 'ours' };
const reference = new URL(__REFERENCE_URL__);

if (options.mode === 'sdk') {
  const app = cloudbase.init({ env: 'demo-env', region: 'ap-shanghai', ...(options.accessKey ? { accessKey: options.accessKey } : {}), auth: { detectSessionInUrl: true } });
  // The SDK's own way to another gateway (TOOLCHAIN.md): the origin, then `/cloudbase/auth/v1/…`.
  app.registerEndPointWithKey({ key: 'GATEWAY', url: `//${reference.host}`, protocol: 'http' });
  const auth = (app.auth as unknown as (options: { apiPath: string }) => SdkAuth)({ apiPath: '/cloudbase/auth' });
  auth.onAuthStateChange((event: string) => remember(event));
  window.sdk = auth;
} else {
  const provider = cloudbaseProvider({ env: 'demo-env', baseUrl: `${__REFERENCE_URL__}/cloudbase`, providers: ['github', 'google', 'wx_open'], ...(options.accessKey ? { accessKey: options.accessKey } : {}) });
  const client = new AuthClient({ provider, storage: 'local', autoRefresh: false });
  client.onAuthStateChange((event) => remember(event));
  window.ours = client;
}
