// Chromium's virtual authenticator through the DevTools protocol (passkeys group only).
import { expect } from '@open-wc/testing';
import { addVirtualAuthenticator, removeVirtualAuthenticator, setUserVerified } from '../support/commands.js';

const bytes = (...values: number[]) => new Uint8Array(values);

function creationOptions(userVerification: UserVerificationRequirement): CredentialCreationOptions {
  return {
    publicKey: {
      challenge: bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
      rp: { id: 'localhost', name: 'auth-elements tests' },
      user: { id: bytes(42), name: 'alice@example.com', displayName: 'Alice' },
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 }, // ES256
        { type: 'public-key', alg: -257 }, // RS256
      ],
      authenticatorSelection: { residentKey: 'required', userVerification },
      attestation: 'none',
      timeout: 60_000, // the ceremony's bound on a loaded machine; the refusal below comes at once
    },
  };
}

describe('virtual authenticator', () => {
  let authenticatorId: string | undefined;

  afterEach(async () => {
    if (authenticatorId) await removeVirtualAuthenticator(authenticatorId);
    authenticatorId = undefined;
  });

  it('creates a passkey on http://localhost', async () => {
    expect(location.hostname).to.equal('localhost');
    authenticatorId = await addVirtualAuthenticator();
    const credential = (await navigator.credentials.create(creationOptions('required'))) as PublicKeyCredential;
    expect(credential).to.be.instanceOf(PublicKeyCredential);
    expect(credential.type).to.equal('public-key');
    expect(credential.rawId.byteLength).to.be.greaterThan(0);
    const response = credential.response as AuthenticatorAttestationResponse;
    const clientData = JSON.parse(new TextDecoder().decode(response.clientDataJSON));
    expect(clientData.type).to.equal('webauthn.create');
    expect(clientData.origin).to.equal(location.origin);
  });

  it('rejects with NotAllowedError when user verification is required but fails', async () => {
    authenticatorId = await addVirtualAuthenticator();
    await setUserVerified(authenticatorId, false);
    let error: unknown;
    try {
      await navigator.credentials.create(creationOptions('required'));
    } catch (caught) {
      error = caught;
    }
    expect(error, 'navigator.credentials.create resolved').to.be.instanceOf(DOMException);
    expect((error as DOMException).name).to.equal('NotAllowedError');
  });
});
