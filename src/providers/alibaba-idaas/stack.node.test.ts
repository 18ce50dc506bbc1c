// Test helper, no tests of its own (the .node.test.ts name keeps it out of the type build and
// the browser runner): the AuthClient → relay → reference-server stack over real HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alibabaIdaasBackend, CLIENT_ID, CLIENT_SECRET, IDAAS_APP_ID } from '../../../demo/server/alibaba-idaas/index.js';
import type { Policies } from '../../../demo/server/kit/index.js';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { testEnvironment } from '../../../test/support/environment.js';
import { AuthClient } from '../../core/client.js';
import { createRelay, toNodeHandler } from '../../relay/index.js';
import { alibabaIdaasProvider, type AlibabaIdaasSettings } from './alibaba-idaas.js';

export { IDAAS_APP_ID };
export const ORIGIN = 'http://127.0.0.1:5173';
export const PASSWORD = 'demo-password';
export const SOCIAL = 'ciamlocalsocial';
export const CALLBACK = 'http://127.0.0.1:5173/callback';

/** Node's fetch sends no Origin: the page's is added, as a browser would. */
export const withOrigin: typeof fetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('origin', ORIGIN);
  return fetch(input, { ...init, headers });
};

export async function stack(policies: Partial<Policies> = {}) {
  const backend = await mountBackend(alibabaIdaasBackend, { policies });
  const relay = createRelay({
    provider: 'alibaba-idaas',
    upstream: backend.url,
    credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    allowedOrigins: [ORIGIN],
    // The per-identifier limits are the relay's business (its own tests); here they would only interfere.
    limits: { perClient: false, sendsPerIdentifier: false, signInsPerIdentifier: false },
  });
  const server: Server = createServer(toNodeHandler(relay));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settings: AlibabaIdaasSettings = {
    baseUrl: relayUrl,
    idaasAppId: IDAAS_APP_ID,
    socialSources: [{ enterpriseAuthId: SOCIAL, authorizeUrl: `${backend.url}/social-source/authorize` }],
  };
  const clients: AuthClient[] = [];
  return {
    backend,
    settings,
    code: (to: string) => backend.ctx.outbox.latestCode(to, 'alibaba-idaas'),
    client(extra: Partial<AlibabaIdaasSettings> = {}, options: { autoRefresh?: boolean; url?: string } = {}) {
      const provider = alibabaIdaasProvider({ ...settings, ...extra });
      const env = testEnvironment(options.url ?? `${ORIGIN}/`);
      const c = new AuthClient({ provider, storage: 'memory', environment: env, autoRefresh: options.autoRefresh ?? false, http: { fetch: withOrigin } });
      const events: string[] = [];
      c.onAuthStateChange((event) => void events.push(event));
      clients.push(c);
      return { client: c, provider, env, events };
    },
    async close() {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await backend.close();
    },
  };
}
export type Stack = Awaited<ReturnType<typeof stack>>;

