// `npm start`: the demo page and the local reference backends, on 127.0.0.1 only.
//   PORT            the demo page (default 5173)
//   OIDC_PORT       the OpenID provider (default 5174; 0 picks a free one)
//   REFERENCE_PORT  the five vendor backends' emulations (default 5175)
//   RELAY_PORT      the relay in front of them (default 5176)
// Data (users, passkeys, tokens) persists in .data/reference between runs.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { startOidcServer } from './server/oidc.js';
import { startReferenceServer } from './server/server.js';
import { startRelays } from './server/relays.js';

const HOST = '127.0.0.1';
const port = Number(process.env.PORT ?? 5173);
const oidcPort = Number(process.env.OIDC_PORT ?? 5174);
const referencePort = Number(process.env.REFERENCE_PORT ?? 5175);
const relayPort = Number(process.env.RELAY_PORT ?? 5176);
const origins = [`http://${HOST}:${port}`, `http://localhost:${port}`];

export const DEMO_USERS = [
  { id: 'demo-user', username: 'demo', password: 'demo-password', email: 'demo@example.com', name: 'Demo User' },
];

const oidc = await startOidcServer({
  host: HOST,
  port: oidcPort,
  clients: [{ clientId: 'auth-elements-demo', redirectUris: origins.map((o) => `${o}/`), postLogoutRedirectUris: origins.map((o) => `${o}/`) }],
  allowedOrigins: origins,
  users: DEMO_USERS,
  // Short enough to watch a refresh happen on the demo page (at 30 s).
  accessTokenTtl: 60,
});

const reference = await startReferenceServer({
  host: HOST,
  port: referencePort,
  dataDir: fileURLToPath(new URL('../.data/reference', import.meta.url)),
  allowedOrigins: origins,
});
const relays = await startRelays({ referenceUrl: reference.url, allowedOrigins: origins, port: relayPort });

const vite = await createServer({
  configFile: false,
  root: fileURLToPath(new URL('.', import.meta.url)),
  server: { host: HOST, port, strictPort: true, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  define: {
    __DEMO_OIDC_ISSUER__: JSON.stringify(oidc.issuer),
    __DEMO_REFERENCE_URL__: JSON.stringify(reference.url),
    __DEMO_RELAY_URL__: JSON.stringify(relays.url),
  },
  logLevel: 'warn',
});
await vite.listen();

console.log(`
  auth-elements demo     http://${HOST}:${port}/
  OpenID provider (oidc) ${oidc.issuer}   user "demo", password "demo-password"
  Reference backends     ${reference.url}/   outbox ${reference.url}/__outbox   accounts ${reference.url}/__accounts
  Relay                  ${relays.url}/{alibaba-idaas,janrain,tencent-ciam}
  Passkeys need the page at http://localhost:${port}/ (WebAuthn refuses IP addresses).
  Ctrl+C stops everything.
`);

async function stop() {
  await Promise.allSettled([vite.close(), oidc.close(), relays.close(), reference.close()]);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
