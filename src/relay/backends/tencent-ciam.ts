// Tencent Cloud CIAM (PROVIDERS.md §3). PKCE and password sign-in go from the page straight to
// the tenant portal. Sending a one-time code (`/otp/send`) is limited to Web/M2M apps and needs
// Basic client credentials [C], so it goes through here. The code → token exchange must use the
// same client_id [C], and a Web app's token call needs its client_secret [C]; so the relay also
// offers that exchange, restricted to the two OTP grants (§3.2 "Catch", §3.6 q2).
import type { IdentifierSpec } from './identifiers.js';
import { base64, field, formEncode, invalid, jsonBody, okJson } from './shared.js';
import type { Backend, Route } from './types.js';

const SMS_GRANT = 'http://tencentciam.com/oauth2/grant-type/otp/sms';
const EMAIL_GRANT = 'http://tencentciam.com/oauth2/grant-type/otp/email';
const FIELD_OF_GRANT = new Map([
  [SMS_GRANT, 'phone_number'],
  [EMAIL_GRANT, 'email'],
]);
const OTP_GRANTS = new Set(FIELD_OF_GRANT.keys());
// Phone numbers are written without a country code [C] (seed 001: "13612345678"): China's.
const CONTACT_FIELDS = { phone_number: 'phone', email: 'email' } as const;
/** `/otp/send`: the auth source (SMS or email), which the relay cannot see, picks the field; both count. */
const SEND_TO: IdentifierSpec = { fields: CONTACT_FIELDS };
/** The OTP grant names the field [C]: sms → `phone_number`, email → `email`. */
const SIGN_IN_AS: IdentifierSpec = {
  fields: CONTACT_FIELDS,
  reads: (body) => FIELD_OF_GRANT.get(field(body, 'grant_type') ?? ''),
};
// The JSON fields of the OTP grant [C]; anything else the browser adds is dropped.
const OTP_TOKEN_FIELDS = ['grant_type', 'auth_source_id', 'phone_number', 'email', 'otp_token', 'otp', 'auto_signup'] as const;

export interface TencentCiamCredentials {
  clientId: string;
  clientSecret: string;
}

export function tencentCiamBackend({ clientId, clientSecret }: TencentCiamCredentials): Backend {
  // Basic base64(urlenc(client_id):urlenc(client_secret)) [C] (1148/51475).
  const basic = base64(`${formEncode(clientId)}:${formEncode(clientSecret)}`);

  const routes: Route[] = [
    // JSON: usage (login|signup|update_userinfo|reset_password), phone_number or email, auth_source_id [C].
    { method: 'POST', path: '/otp/send', kind: 'send', body: 'json', identifier: SEND_TO },
    {
      method: 'POST',
      path: '/oauth2/token',
      kind: 'signin',
      body: 'json',
      identifier: SIGN_IN_AS,
      prepare(body) {
        const grant = field(body, 'grant_type');
        if (!grant || !OTP_GRANTS.has(grant)) throw invalid('Only the OTP grant types are relayed.');
        const out: Record<string, unknown> = {};
        for (const name of OTP_TOKEN_FIELDS) if (body.json && name in body.json) out[name] = body.json[name];
        // The client must be the one that sent the code; its secret goes in the body [C] (1148/51474).
        out.client_id = clientId;
        out.client_secret = clientSecret;
        return jsonBody(out);
      },
    },
  ];

  return {
    routes,
    headers: [],
    secrets: () => [clientSecret, basic],
    signInAccepted: (answer) => typeof okJson(answer)?.access_token === 'string',
    send(call, ctx) {
      if (call.path === '/otp/send') call.headers.set('authorization', `Basic ${basic}`);
      return ctx.fetch(call);
    },
  };
}
