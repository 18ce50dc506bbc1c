import { AuthError } from '../../contract/index.js';
import { missingUrls, registerPasskey } from '../../core/passkey-calls.js';
import { registrationUrls } from '../../core/passkeys.js';
import type { AuthClient } from '../../core/client.js';
import type { ViewHost } from '../views/host.js';

/** An element that adds passkeys: its own URLs win over the configuration's `passkeys`. */
export interface RegistrationHost extends Pick<ViewHost, 'auth' | 'form' | 'dispatchEvent'> {
  /** POST → registration options JSON; default `passkeys.optionsUrl`. */
  optionsUrl?: string;
  /** POST the attestation JSON → `{ verified }`; default `passkeys.verifyUrl`. */
  verifyUrl?: string;
}

type Outcome = Awaited<ReturnType<typeof registerPasskey>>;

/**
 * Registers a passkey for the signed-in person, started from the click (Safari wants a user
 * gesture), as `<auth-webauthn-register>` and `<auth-profile>` share it. The outcome lands in the
 * host's form: "Passkey added.", a calm word when the prompt was dismissed or the device already
 * has one, or the error. `auth-passkey-registered` is dispatched from the host on success.
 * Resolves to the new credential's id, or null.
 */
export async function addPasskey(host: RegistrationHost): Promise<string | null> {
  host.form.begin();
  let outcome: Outcome | null = null;
  await host.form.run(async ({ signal }) => {
    outcome = await register(host, signal);
    return { error: null };
  });
  const result = outcome as Outcome | null;
  if (!result) return null;
  if (result.error) {
    if (result.calm) host.form.setNotice(result.calm === 'exists' ? 'passkeyExists' : 'passkeyCancelled');
    else if (result.error.code !== 'cancelled') host.form.report(result.error);
    return null;
  }
  host.form.setNotice('passkeyAdded');
  host.dispatchEvent(new CustomEvent('auth-passkey-registered', { detail: { credentialId: result.data.credentialId }, bubbles: true, composed: true }));
  return result.data.credentialId;
}

/**
 * The bearer for the site's passkey service: the session's access token, refreshed first when it
 * is about to expire (the service may check it more than once); null when nobody is signed in.
 */
export async function passkeyBearer(client: AuthClient): Promise<string | null> {
  const { data } = await client.getSession();
  return data.session?.access_token ?? null;
}

async function register(host: RegistrationHost, signal?: AbortSignal): Promise<Outcome> {
  const client = host.auth.client!;
  const urls = registrationUrls(host, client.passkeys);
  if (!urls) return { data: null, error: missingUrls('registration'), calm: null };
  const accessToken = await passkeyBearer(client);
  if (!accessToken) return { data: null, error: new AuthError('session_expired'), calm: null };
  return registerPasskey({ http: client.http, urls, accessToken, signal });
}
