// Custom login (signInWithCustomTicket): a site's server mints a ticket with the custom-login
// private key from the CloudBase console, the page hands it to the SDK, and POST
// /auth/v1/signin/custom {provider_id: "custom", ticket} signs in (PROVIDERS.md §6.2 [C]).
//
// The site's server does not exist here, so a LOCAL STAND-IN (not a CloudBase path) plays it:
//   • POST /cloudbase/custom/ticket {uid} → {ticket, expires_in}: a ticket for the site's user `uid`,
//     minted for anyone who asks (a real site mints one only for a person it has signed in).
import { json, readJson, type BackendContext } from '../kit/index.js';
import { cols, newUser, type ApiCall } from './model.js';
import { fail, ok, raise, requiredString } from './protocol.js';
import { issueSession } from './tokens.js';

const TICKET_TTL_SECONDS = 600; // [?] the server SDK's default ticket lifetime is not documented here.
const UID = /^[A-Za-z0-9_-]{4,32}$/; // [?] the custom-login uid rule (4 to 32 letters, digits, _ or -).

const issuer = (ctx: BackendContext) => `${ctx.baseUrl}/custom`;

// LOCAL STAND-IN: POST /cloudbase/custom/ticket {uid}
export async function mintTicket(request: Request, ctx: BackendContext): Promise<Response> {
  const body = await readJson(request);
  const uid = typeof body?.uid === 'string' ? body.uid : '';
  if (!UID.test(uid)) return fail('invalid_argument', 'uid must be 4 to 32 letters, digits, _ or -');
  const ticket = await ctx.jwt.sign({ iss: issuer(ctx), aud: 'custom-login', uid }, TICKET_TTL_SECONDS, ctx.now());
  return json(200, { ticket, expires_in: TICKET_TTL_SECONDS });
}

// POST /auth/v1/signin/custom {provider_id: "custom", ticket} → token response
// [C] path and body. [?] A ticket works until it expires; the first one for a uid creates the user.
export async function signInCustom({ ctx, body, clientId }: ApiCall): Promise<Response> {
  if (requiredString(body, 'provider_id') !== 'custom') return raise('invalid_argument', 'provider_id must be "custom"');
  const claims = await ctx.jwt.verify(requiredString(body, 'ticket'));
  if (!claims || claims.iss !== issuer(ctx) || claims.aud !== 'custom-login' || typeof claims.uid !== 'string') return raise('invalid_grant', 'ticket is invalid or expired');
  const uid = claims.uid;
  const user = cols(ctx).users.find((u) => u.customUid === uid) ?? newUser({ customUid: uid, name: uid, created_from: 'custom' }, ctx);
  if (user.status !== 'ACTIVE') return raise(user.status === 'BLOCKED' ? 'user_blocked' : 'user_pending');
  return ok(await issueSession(ctx, user, clientId));
}
