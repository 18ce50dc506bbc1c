// Tencent Cloud CIAM (PROVIDERS.md §3). PKCE and password sign-in go from the page (an SPA app)
// straight to the tenant portal. Sending a one-time code (`/otp/send`) is limited to Web/M2M apps
// and needs Basic client credentials [C], so it goes through here, with the relay's Web app. The
// code → token exchange must use the same client_id [C], and a Web app's token calls need its
// client_secret [C]; so the relay also offers that exchange (the two OTP grants) and the refresh
// of the tokens it issued (§3.2 "Catch", §3.6 q2). Sign-up (`/signup`) and password reset
// (`/reset_user_password`) are Web-app calls with Basic credentials [C], proven by a code.
import type { IdentifierSpec } from './identifiers.js';
import { base64, field, formEncode, invalid, jsonBody, okJson } from './shared.js';
import type { Backend, ParsedBody, RewrittenBody, Route } from './types.js';

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
// The JSON fields of the OTP grant [C] and of the refresh [?]; anything else the browser adds is dropped.
const OTP_TOKEN_FIELDS = ['grant_type', 'auth_source_id', 'phone_number', 'email', 'otp_token', 'otp', 'auto_signup'] as const;
const REFRESH_FIELDS = ['grant_type', 'refresh_token', 'scope'] as const;
const REFRESH_GRANT = 'refresh_token';
/** A sign-up or reset names the person by the contact its code went to [C]. */
const PROVEN: IdentifierSpec = { fields: CONTACT_FIELDS, reads: (body) => (field(body, 'phone_number') ? 'phone_number' : 'email') };
// Basic authenticates these calls: body credentials from the browser are never passed on.
const BASIC_PATHS = new Set(['/otp/send', '/signup', '/reset_user_password']);
const withoutClient = (body: ParsedBody): RewrittenBody => {
  const { client_id: _id, client_secret: _secret, ...rest } = body.json ?? {};
  return jsonBody(rest);
};

export interface TencentCiamCredentials {
  clientId: string;
  clientSecret: string;
}

export function tencentCiamBackend({ clientId, clientSecret }: TencentCiamCredentials): Backend {
  // Basic base64(urlenc(client_id):urlenc(client_secret)) [C] (1148/51475).
  const basic = base64(`${formEncode(clientId)}:${formEncode(clientSecret)}`);

  const routes: Route[] = [
    // JSON: usage (login|signup|update_userinfo|reset_password), phone_number or email, auth_source_id [C].
    { method: 'POST', path: '/otp/send', kind: 'send', body: 'json', identifier: SEND_TO, prepare: withoutClient },
    // A new user, and a new password, each proven by a code for that usage [C].
    { method: 'POST', path: '/signup', kind: 'signin', body: 'json', identifier: PROVEN, prepare: withoutClient },
    { method: 'POST', path: '/reset_user_password', kind: 'signin', body: 'json', identifier: PROVEN, prepare: withoutClient },
    {
      method: 'POST',
      path: '/oauth2/token',
      kind: 'signin',
      body: 'json',
      identifier: SIGN_IN_AS,
      prepare(body) {
        const grant = field(body, 'grant_type');
        if (!grant || (!OTP_GRANTS.has(grant) && grant !== REFRESH_GRANT)) throw invalid('Only the OTP grant types and refresh_token are relayed.');
        if (grant === REFRESH_GRANT && !field(body, 'refresh_token')) throw invalid('refresh_token is required.');
        const out: Record<string, unknown> = {};
        for (const name of grant === REFRESH_GRANT ? REFRESH_FIELDS : OTP_TOKEN_FIELDS) if (body.json && name in body.json) out[name] = body.json[name];
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
    // A token, or a sign-up or reset the backend took: a 2xx JSON answer that is no error.
    signInAccepted: (answer) => {
      const json = okJson(answer);
      return json !== undefined && !('error' in json);
    },
    send(call, ctx) {
      if (BASIC_PATHS.has(call.path)) call.headers.set('authorization', `Basic ${basic}`);
      return ctx.fetch(call);
    },
  };
}
