import { ContextProvider } from '@lit/context';
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { AuthClient } from '../../core/client.js';
import type { StorageOption } from '../../core/storage.js';
import { createAuthClient, type ConfigureOptions } from '../../configure.js';
import type { ProviderConfig } from '../../providers/registry.js';
import { authClientContext } from '../base/context.js';
import { attachHub } from '../base/hub.js';
import type { AuthErrorDetail, AuthStateChangeDetail } from '../../core/events.js';

/** Attributes that become provider settings, by their camel-cased names. */
const SETTINGS = [
  'baseUrl', 'clientId', 'issuer', 'redirectUri', 'scope', 'postLogoutRedirectUri', 'env', 'region',
  'relayUrl', 'authSourceId', 'smsAuthSourceId', 'emailAuthSourceId', 'idaasAppId', 'flow', 'flowVersion', 'locale',
] as const;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Declares one configuration and provides its client to every auth element inside it.
 *
 * @summary A configuration by attributes: `<auth-config provider="oidc" issuer="…" client-id="…">`.
 *
 * @slot - The elements that use this configuration.
 * @fires auth-state-change - `{ event, session }` for every change of this configuration's session.
 * @fires auth-error - `{ error }` for failures no element inside announced itself.
 *
 * @example
 * <auth-config provider="oidc" issuer="https://id.example.com" client-id="spa">
 *   <auth-social></auth-social>
 * </auth-config>
 */
export class AuthConfig extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  static override properties = {
    provider: { reflect: true },
    storage: {},
    storageKey: { attribute: 'storage-key' },
    options: { attribute: false },
    // `accessKey` is taken by HTMLElement (the accesskey attribute): the property has another name.
    publishableKey: { attribute: 'access-key' },
    ...Object.fromEntries(SETTINGS.map((name) => [name, { attribute: kebab(name) }])),
  };

  /** Provider `type`: `cloudbase`, `tencent-ciam`, `alibaba-idaas`, `zhuyun-idaas`, `janrain` or `oidc`. */
  provider = '';
  /** `local` (default), `session` or `memory`. */
  storage: 'local' | 'session' | 'memory' = 'local';
  storageKey?: string;
  /** Full options, for what attributes cannot say (a custom storage adapter, passkey URLs…); wins over attributes. */
  options?: Partial<ConfigureOptions>;
  baseUrl?: string;
  clientId?: string;
  issuer?: string;
  redirectUri?: string;
  scope?: string;
  postLogoutRedirectUri?: string;
  env?: string;
  region?: string;
  /** CloudBase's publishable key (`access-key` attribute; the `accessKey` setting). */
  publishableKey?: string;
  relayUrl?: string;
  authSourceId?: string;
  smsAuthSourceId?: string;
  emailAuthSourceId?: string;
  idaasAppId?: string;
  flow?: string;
  flowVersion?: string;
  locale?: string;

  #provider = new ContextProvider(this, { context: authClientContext });
  #client: AuthClient | null = null;
  #detach: (() => void) | null = null;

  /** This configuration's client (null until the element is connected). */
  get client(): AuthClient | null {
    return this.#client;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Children connect right after this; they must find a client already there.
    if (!this.#client) this.#rebuild();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#detach?.();
    this.#detach = null;
    this.#client?.destroy();
    this.#client = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Attributes set after connection describe another configuration: another client.
    if (this.hasUpdated && changed.size && this.isConnected) this.#rebuild();
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  #rebuild(): void {
    this.#detach?.();
    this.#client?.destroy();
    const settings: Record<string, unknown> = { type: this.provider };
    for (const name of SETTINGS) if (this[name] !== undefined && this[name] !== null) settings[name] = this[name];
    if (this.publishableKey) settings.accessKey = this.publishableKey;
    const options: ConfigureOptions = {
      storage: this.storage as StorageOption,
      storageKey: this.storageKey,
      ...this.options,
      provider: this.options?.provider ?? (settings as ProviderConfig),
    };
    this.#client = createAuthClient(options);
    this.#detach = attachHub(this.#client, this);
    this.#provider.setValue(this.#client);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-config': AuthConfig;
  }
  interface HTMLElementEventMap {
    'auth-state-change': CustomEvent<AuthStateChangeDetail>;
    'auth-error': CustomEvent<AuthErrorDetail>;
  }
}
