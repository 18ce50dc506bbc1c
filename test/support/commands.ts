/**
 * Typed browser-side wrappers for the server commands in test/support/wtr-plugins.mjs.
 *
 * ```ts
 * const server = await startServer('echo');
 * try { await fetch(server.url); } finally { await stopServer(server.id); }
 * ```
 */
import { executeServerCommand } from '@web/test-runner-commands';

export interface RunningServer<Info = unknown> {
  id: string;
  url: string;
  info: Info;
}

/** Starts `servers[name]` from test/support/servers.ts in the test runner's Node process. */
export function startServer<Info = unknown>(name: string, options?: object): Promise<RunningServer<Info>> {
  return executeServerCommand('start-server', { name, options });
}

export async function stopServer(id: string): Promise<void> {
  await executeServerCommand('stop-server', { id });
}

/** Options of the DevTools protocol's WebAuthn.addVirtualAuthenticator. */
export interface VirtualAuthenticatorOptions {
  protocol?: 'ctap2' | 'u2f';
  ctap2Version?: 'ctap2_0' | 'ctap2_1';
  transport?: 'usb' | 'nfc' | 'ble' | 'cable' | 'internal';
  hasResidentKey?: boolean;
  hasUserVerification?: boolean;
  hasLargeBlob?: boolean;
  hasCredBlob?: boolean;
  hasMinPinLength?: boolean;
  hasPrf?: boolean;
  automaticPresenceSimulation?: boolean;
  isUserVerified?: boolean;
  defaultBackupEligibility?: boolean;
  defaultBackupState?: boolean;
}

/** Chromium only (passkeys group). Defaults: a platform passkey authenticator with UV. */
export async function addVirtualAuthenticator(options: VirtualAuthenticatorOptions = {}): Promise<string> {
  const { authenticatorId } = await executeServerCommand<{ authenticatorId: string }, VirtualAuthenticatorOptions>(
    'webauthn-add-authenticator',
    options,
  );
  return authenticatorId;
}

export async function removeVirtualAuthenticator(authenticatorId: string): Promise<void> {
  await executeServerCommand('webauthn-remove-authenticator', { authenticatorId });
}

export async function setUserVerified(authenticatorId: string, isUserVerified: boolean): Promise<void> {
  await executeServerCommand('webauthn-set-user-verified', { authenticatorId, isUserVerified });
}

/**
 * The rig of a passkey test file against the reference server (mocha hooks; passkeys group): the
 * server for the whole file, and the test's virtual authenticator, removed after each test.
 */
export function referencePasskeyRig() {
  let authenticatorId: string | undefined;
  const rig = {
    server: undefined as unknown as RunningServer,
    /** Adds the test's authenticator; one it already has is removed first. */
    async authenticator(options?: VirtualAuthenticatorOptions): Promise<string> {
      await rig.removeAuthenticator();
      authenticatorId = await addVirtualAuthenticator(options);
      return authenticatorId;
    },
    async removeAuthenticator(): Promise<void> {
      if (authenticatorId) await removeVirtualAuthenticator(authenticatorId);
      authenticatorId = undefined;
    },
  };
  before(async () => {
    rig.server = await startServer('reference', { origin: location.origin });
  });
  after(async () => {
    if (rig.server) await stopServer(rig.server.id);
  });
  afterEach(() => rig.removeAuthenticator());
  return rig;
}
