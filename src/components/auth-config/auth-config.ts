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
  'language', 'deviceId', 'tenantId',
] as const;

const optionIds = new WeakMap<object, number>();
let lastOptionId = 0;

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
    // Literal entries (not generated from SETTINGS) so that the manifest analyzer sees them.
    baseUrl: { attribute: 'base-url' },
    clientId: { attribute: 'client-id' },
    issuer: { attribute: 'issuer' },
    redirectUri: { attribute: 'redirect-uri' },
    scope: { attribute: 'scope' },
    postLogoutRedirectUri: { attribute: 'post-logout-redirect-uri' },
    env: { attribute: 'env' },
    region: { attribute: 'region' },
    relayUrl: { attribute: 'relay-url' },
    authSourceId: { attribute: 'auth-source-id' },
    smsAuthSourceId: { attribute: 'sms-auth-source-id' },
    emailAuthSourceId: { attribute: 'email-auth-source-id' },
    idaasAppId: { attribute: 'idaas-app-id' },
    flow: { attribute: 'flow' },
    flowVersion: { attribute: 'flow-version' },
    locale: { attribute: 'locale' },
    language: { attribute: 'language' },
    deviceId: { attribute: 'device-id' },
    tenantId: { attribute: 'tenant-id' },
    sources: { attribute: 'providers' },
  };

  // Reactive properties are `declare`d and set in the constructor: a class-field initializer
  // would shadow Lit's accessors wherever fields use [[Define]] semantics.
  /** Provider `type`: `cloudbase`, `tencent-ciam`, `alibaba-idaas`, `zhuyun-idaas`, `janrain` or `oidc`. */
  declare provider: string;
  /** `local` (default), `session` or `memory`. */
  declare storage: 'local' | 'session' | 'memory';
  declare storageKey?: string;
  /** Full options, for what attributes cannot say (a custom storage adapter, passkey URLs…); wins over attributes. */
  declare options?: Partial<ConfigureOptions>;
  /** Base URL of the backend (or of the relay). */
  declare baseUrl?: string;
  /** The application's client id at the backend. */
  declare clientId?: string;
  /** OIDC issuer. */
  declare issuer?: string;
  /** Where redirect sign-ins return. */
  declare redirectUri?: string;
  /** OIDC scopes. */
  declare scope?: string;
  /** Where OIDC end-session returns. */
  declare postLogoutRedirectUri?: string;
  /** CloudBase environment id. */
  declare env?: string;
  /** CloudBase region. */
  declare region?: string;
  /** CloudBase's publishable key (`access-key` attribute; the `accessKey` setting). */
  declare publishableKey?: string;
  /** Relay for steps a page cannot call itself (Tencent CIAM OTP send). */
  declare relayUrl?: string;
  /** Tencent CIAM password auth source. */
  declare authSourceId?: string;
  /** Tencent CIAM SMS auth source. */
  declare smsAuthSourceId?: string;
  /** Tencent CIAM email auth source. */
  declare emailAuthSourceId?: string;
  /** Alibaba IDaaS application id. */
  declare idaasAppId?: string;
  /** Janrain flow name. */
  declare flow?: string;
  /** Janrain flow version. */
  declare flowVersion?: string;
  /** Janrain locale. */
  declare locale?: string;
  /** Zhuyun `X-L` language (`zh_CN`, `en`). */
  declare language?: string;
  /** A stable device id (Zhuyun `X-device-fingerprint`, CloudBase `x-device-id`). */
  declare deviceId?: string;
  /** Zhuyun `X-tenant-id`, for ISV applications. */
  declare tenantId?: string;
  /** Social sources enabled at the backend (`providers` attribute, space-separated: `wx_open github`). */
  declare sources?: string;

  #provider = new ContextProvider(this, { context: authClientContext });
  #client: AuthClient | null = null;
  #detach: (() => void) | null = null;
  #built = '';

  constructor() {
    super();
    this.provider = '';
    this.storage = 'local';
  }

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

  protected override willUpdate(_changed: PropertyValues<this>): void {
    // Settings changed after connection describe another configuration: another client.
    if (this.isConnected && this.#signature() !== this.#built) this.#rebuild();
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  #settings(): Record<string, unknown> {
    const settings: Record<string, unknown> = { type: this.provider };
    for (const name of SETTINGS) if (this[name] !== undefined && this[name] !== null) settings[name] = this[name];
    if (this.publishableKey) settings.accessKey = this.publishableKey;
    if (this.sources) settings.providers = this.sources.split(/[\s,]+/).filter(Boolean);
    return settings;
  }

  /** What the current client was made from; `options` counts by identity. */
  #signature(): string {
    const optionsId = this.options ? (optionIds.get(this.options) ?? optionIds.set(this.options, ++lastOptionId).get(this.options)) : 0;
    return JSON.stringify([this.#settings(), this.storage, this.storageKey, optionsId]);
  }

  #rebuild(): void {
    this.#detach?.();
    this.#client?.destroy();
    this.#built = this.#signature();
    const options: ConfigureOptions = {
      storage: this.storage as StorageOption,
      storageKey: this.storageKey,
      ...this.options,
      provider: this.options?.provider ?? (this.#settings() as unknown as ProviderConfig),
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
  // The default client's events are dispatched on document.
  interface DocumentEventMap {
    'auth-state-change': CustomEvent<AuthStateChangeDetail>;
    'auth-error': CustomEvent<AuthErrorDetail>;
  }
}
