// Zhuyun / BambooCloud IDaaS CIAM (PROVIDERS.md §4). No secret on the login calls; the relay is
// for tenants without CORS, and it makes `X-device-ip` trustworthy: the browser's value is
// dropped and the real client address (as the server saw it) is sent instead (§4.2).
import type { IdentifierSpec } from './identifiers.js';
import { okJson } from './shared.js';
import type { Backend, Route } from './types.js';

/** Device and app headers of every `/api/v2/sdk/*` call [C], as the browser sends them. */
const SDK_HEADERS = ['x-operating-sys-version', 'x-device-fingerprint', 'x-agent', 'x-client-id', 'x-l', 'x-tenant-id'] as const;

/** `{ mobile, password }` [C]; a mobile number without country code is Chinese (seed 002). */
const MOBILE: IdentifierSpec = { fields: { mobile: 'phone' }, reads: () => 'mobile' };
/** Statuses of a login whose password was right [C]; the last two ask for a password change. */
const ACCEPTED = new Set(['SUCCESS', 'PASSWORD_WARN', 'PASSWORD_EXPIRED']);

export interface ZhuyunCredentials {
  /** Pins `X-client-id`: the relay then serves only this application. */
  clientId?: string;
}

export function zhuyunBackend(credentials: ZhuyunCredentials = {}): Backend {
  const routes: Route[] = [
    // Mobile + password [C]: { mobile, password }.
    { method: 'POST', path: '/api/v2/sdk/login/mobile-pwd', kind: 'signin', body: 'json', identifier: MOBILE },
    // After PASSWORD_WARN / PASSWORD_EXPIRED [C]: both carry the login's X-state-token.
    { method: 'GET', path: '/api/v2/sdk/pwd/skip-update', kind: 'signin', body: 'none', headers: ['x-state-token'] },
    { method: 'POST', path: '/api/v2/sdk/pwd/update', kind: 'signin', body: 'json', headers: ['x-state-token'] },
    // Username/email/SMS login paths exist per the SDK guides but are not documented [?]: not relayed.
  ];

  return {
    routes,
    headers: [...SDK_HEADERS],
    secrets: () => [],
    signInAccepted: (answer) => ACCEPTED.has(String(okJson(answer)?.status)),
    send(call, ctx) {
      // The header §4.3 names for the caller's IP [C] (optional): only ever the address we saw.
      call.headers.delete('x-device-ip');
      if (ctx.clientAddress) call.headers.set('x-device-ip', ctx.clientAddress);
      if (credentials.clientId) call.headers.set('x-client-id', credentials.clientId);
      return ctx.fetch(call);
    },
  };
}
