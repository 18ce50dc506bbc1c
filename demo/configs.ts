// Each demo backend as a page configures it: the attributes of <auth-config>, and no secret (the
// relay holds the server credentials). The demo page (main.ts) and `npm start`'s printout for a
// page of your own (serve.ts) both come from here, so they cannot drift apart.
import type { BackendType } from '../src/contract/index.js';
import { SETTINGS } from '../src/backends/index.js';

export interface DemoUrls {
  /** The OpenID provider's issuer, e.g. `http://127.0.0.1:5174`. */
  oidcIssuer: string;
  /** The reference server, e.g. `http://127.0.0.1:5175` (no trailing slash). */
  referenceUrl: string;
  /** The relays, e.g. `http://127.0.0.1:5176` (no trailing slash). */
  relayUrl: string;
}

export interface DemoBackend {
  type: BackendType;
  /** Every attribute but `provider` and `redirect-uri` (the page's own address, added by who knows it). */
  attributes: Record<string, string>;
  note: string;
  /** The reference server's mount, for its demo accounts; none for the OpenID provider. */
  backend?: string;
}

export function demoBackends({ oidcIssuer, referenceUrl: ref, relayUrl: relay }: DemoUrls): DemoBackend[] {
  return [
    {
      type: 'oidc',
      attributes: { issuer: oidcIssuer, 'client-id': 'auth-elements-demo' },
      note: 'Hosted sign-in at the local OpenID provider (authorization code + PKCE).',
    },
    {
      type: 'cloudbase',
      attributes: { 'base-url': `${ref}/cloudbase`, env: 'demo-env', region: 'ap-shanghai', 'access-key': 'demo-publishable-key', providers: 'github wx_open' },
      note: 'Called directly from the page, as CloudBase is.',
      backend: 'cloudbase',
    },
    {
      type: 'tencent-ciam',
      attributes: {
        'base-url': `${ref}/tencent-ciam`,
        'relay-url': `${relay}/tencent-ciam`,
        // The page's SPA app; the relay holds the Web app (ciam-demo-client) and its secret.
        'client-id': 'ciam-demo-spa',
        'auth-source-id': 'pwd-source',
        'sms-auth-source-id': 'sms-source',
        'email-auth-source-id': 'email-source',
      },
      note: 'Password and the hosted portal go direct (SPA app); codes, the code sign-in and its refresh, sign-up and password reset go through the relay, which holds the Web app’s secret.',
      backend: 'tencent-ciam',
    },
    {
      type: 'zhuyun-idaas',
      attributes: { 'base-url': `${ref}/zhuyun-idaas`, 'client-id': 'zhuyun-demo-client' },
      note: 'Mobile number + password, with expiring and expired passwords.',
      backend: 'zhuyun-idaas',
    },
    {
      type: 'alibaba-idaas',
      attributes: {
        'base-url': `${relay}/alibaba-idaas`,
        'idaas-app-id': 'app_demo',
        // The emulation's stand-in for a third-party source (a real one is WeChat, Alipay…).
        'social-sources': JSON.stringify([{ enterpriseAuthId: 'ciamlocalsocial', authorizeUrl: `${ref}/alibaba-idaas/social-source/authorize` }]),
      },
      note: 'Through the relay, which adds the app token to every call; sign-up and password recovery by code, social sign-in through a local stand-in source.',
      backend: 'alibaba-idaas',
    },
    {
      type: 'janrain',
      attributes: { 'base-url': `${relay}/janrain`, 'client-id': 'janrain-login-client', flow: 'standard', 'flow-version': '20240101', locale: 'en-US' },
      note: 'Through the relay (no CORS upstream); the relay trades the code for tokens. The reset and verify-email links are in the outbox: open them in this tab.',
      backend: 'janrain',
    },
  ];
}

/** Whether the backend's settings table takes `redirect-uri`, and whether it must be given. */
export function redirectSetting(type: BackendType): 'none' | 'optional' | 'required' {
  const row = Object.values(SETTINGS[type]).find((r) => r.attribute === 'redirect-uri');
  return !row ? 'none' : row.required ? 'required' : 'optional';
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The `<auth-config …>` opening tag a page of your own needs. `redirect-uri` is left out where it
 * defaults to the current page, and set to `pageUrl` where the backend requires it.
 */
export function configTag(backend: DemoBackend, pageUrl: string): string {
  const attributes: Record<string, string> = { provider: backend.type, ...backend.attributes };
  if (redirectSetting(backend.type) === 'required') attributes['redirect-uri'] = pageUrl;
  return `<auth-config ${Object.entries(attributes).map(([name, value]) => `${name}="${escapeAttribute(value)}"`).join(' ')}>`;
}

/** Where `npm start` assumes your page is, for the one backend that needs its address (Janrain). */
export const EXAMPLE_PAGE = 'http://127.0.0.1:8000/';

/**
 * What `npm start` prints for a page of your own: the script tag, then one `<auth-config>` per
 * backend. README's "Use it with a script tag" shows the same lines for the default ports.
 */
export function pageSnippets(urls: DemoUrls & { demoUrl: string }): string[] {
  const script = `<script src="${new URL('auth-elements.iife.js', urls.demoUrl).href}"></script>`;
  return [script, ...demoBackends(urls).map((backend) => configTag(backend, EXAMPLE_PAGE))];
}
