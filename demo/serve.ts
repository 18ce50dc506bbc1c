// `npm start`: the demo page and the local reference backends, on 127.0.0.1 only.
//   PORT            the demo page (default 5173)
//   OIDC_PORT       the OpenID provider (default 5174; 0 picks a free one)
//   REFERENCE_PORT  the five vendor backends' emulations (default 5175)
//   RELAY_PORT      the relay in front of them (default 5176)
// Data (users, passkeys, tokens) persists in .data/reference between runs.
import { startDemo } from './start.js';

const demo = await startDemo({
  port: Number(process.env.PORT ?? 5173),
  oidcPort: Number(process.env.OIDC_PORT ?? 5174),
  referencePort: Number(process.env.REFERENCE_PORT ?? 5175),
  relayPort: Number(process.env.RELAY_PORT ?? 5176),
});

console.log(`
  auth-elements demo     ${demo.url}
  OpenID provider (oidc) ${demo.oidc.issuer}   user "demo", password "demo-password"
  Reference backends     ${demo.reference.url}/   outbox ${demo.reference.url}/__outbox   accounts ${demo.reference.url}/__accounts
  Relay                  ${demo.relays.url}/{alibaba-idaas,janrain,tencent-ciam}
  Passkeys need the page at http://localhost:${demo.port}/ (WebAuthn refuses IP addresses).
  Ctrl+C stops everything.
`);

async function stop() {
  await demo.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
