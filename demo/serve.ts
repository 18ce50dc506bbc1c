// `npm start`: the demo page and the local reference backends, on 127.0.0.1 only.
//   PORT            the demo page (default 5173)
//   OIDC_PORT       the OpenID provider (default 5174; 0 picks a free one)
//   REFERENCE_PORT  the five vendor backends' emulations (default 5175)
//   RELAY_PORT      the relay in front of them (default 5176)
//   DATA_DIR        where users, passkeys and tokens persist (default .data/reference; empty:
//                   memory only)
// It prints what a page of your own needs (any port of 127.0.0.1 or localhost may use these
// servers): the script tag and each backend's <auth-config>, from demo/configs.ts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_PAGE, pageSnippets } from './configs.js';
import { startDemo } from './start.js';

const demo = await startDemo({
  port: Number(process.env.PORT ?? 5173),
  oidcPort: Number(process.env.OIDC_PORT ?? 5174),
  referencePort: Number(process.env.REFERENCE_PORT ?? 5175),
  relayPort: Number(process.env.RELAY_PORT ?? 5176),
  ...(process.env.DATA_DIR !== undefined ? { dataDir: process.env.DATA_DIR || null } : {}),
});

const [script, ...configs] = pageSnippets({ demoUrl: demo.url, oidcIssuer: demo.oidc.issuer, referenceUrl: demo.reference.url, relayUrl: demo.relays.url });
const built = existsSync(fileURLToPath(new URL('../dist/auth-elements.iife.js', import.meta.url)));

console.log(`
  auth-elements demo     http://localhost:${demo.port}/   (also ${demo.url}, without passkeys: WebAuthn refuses IP addresses)
  API reference          http://localhost:${demo.port}/api.html
  OpenID provider (oidc) ${demo.oidc.issuer}   user "demo", password "demo-password"
  Reference backends     ${demo.reference.url}/   outbox ${demo.reference.url}/__outbox   accounts ${demo.reference.url}/__accounts
  Relay                  ${demo.relays.url}/{alibaba-idaas,janrain,tencent-ciam}

  A page of your own, served from any port of 127.0.0.1 or localhost (README, "Use it with a script tag"):
    ${script}${built ? '' : '   ← run `npm run build` first'}
  then one of these, with <auth-password>, <auth-otp> and <auth-social> inside and </auth-config> after:
${configs.map((line) => `    ${line}`).join('\n')}
  (Janrain needs your page's own address in redirect-uri; ${EXAMPLE_PAGE} is an example.)

  Ctrl+C stops everything.
`);

async function stop() {
  await demo.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
