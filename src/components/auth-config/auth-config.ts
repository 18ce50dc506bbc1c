import { ContextProvider } from '@lit/context';
import { css, html, LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { AuthErrorDetail, AuthStateChangeDetail } from '../../contract/index.js';
import type { AuthClient } from '../../core/client.js';
import type { StorageOption } from '../../core/storage.js';
import { createAuthClient, type ConfigureOptions } from '../../configure.js';
import { SETTINGS, type ProviderConfig } from '../../backends/index.js';
import { fromAttribute, type Setting } from '../../backends/table.js';
import type { AlibabaIdaasSettings } from '../../backends/alibaba-idaas.js';
import type { CloudbaseSettings } from '../../backends/cloudbase.js';
import type { JanrainSettings } from '../../backends/janrain.js';
import type { OidcSettings } from '../../backends/oidc.js';
import type { TencentCiamSettings } from '../../backends/tencent-ciam.js';
import type { ZhuyunIdaasSettings } from '../../backends/zhuyun-idaas.js';
import { authClientContext } from '../base/context.js';
import { attachHub } from '../base/hub.js';
import { LanguageController } from '../base/language-controller.js';

/** Every backend's settings as `<auth-config>` properties (a setting's `property` where HTMLElement took its name). */
type AllSettings = CloudbaseSettings & TencentCiamSettings & AlibabaIdaasSettings & ZhuyunIdaasSettings & JanrainSettings & OidcSettings;
type SettingProperties = { [K in keyof AllSettings as K extends 'accessKey' ? 'publishableKey' : K]?: AllSettings[K] };

/**
 * One reactive property per setting of any backend (a setting's `property` where HTMLElement took
 * its name), its attribute read by the setting's kind. Made when Lit asks, not at import: this
 * module shares a chunk with the client in the ESM build, and an app that never uses
 * `<auth-config>` must be able to drop it, and with it every settings table.
 */
function settingProperties(): PropertyDeclarations {
  const rows = new Map<string, Setting>();
  for (const table of Object.values(SETTINGS)) for (const [name, row] of Object.entries(table)) rows.set(row.property ?? name, row);
  return Object.fromEntries(
    [...rows].map(([property, row]) => [property, { attribute: row.attribute, converter: { fromAttribute: (text: string | null) => fromAttribute(row.kind, text) } }]),
  );
}

const optionIds = /* @__PURE__ */ new WeakMap<object, number>();
let lastOptionId = 0;

/**
 * Declares one configuration and provides its client to every auth element inside it. The
 * backend's settings are attributes (`base-url`, `client-id`, …): each backend reads the ones
 * of its settings table (README lists them per backend); changing one makes a new client.
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
// A class and an interface of one name: the interface adds the typed setting properties, whose
// accessors Lit defines at run time from the tables.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class AuthConfig extends LitElement {
  // Getters, read once when the element is defined: nothing runs when the module is imported.
  static override get styles() {
    return css`
      :host {
        display: contents;
      }
    `;
  }

  static override get properties(): PropertyDeclarations {
    return {
      provider: { reflect: true },
      storage: {},
      storageKey: { attribute: 'storage-key' },
      options: { attribute: false },
      ...settingProperties(),
    };
  }

  // Reactive properties are `declare`d and set in the constructor: a class-field initializer
  // would shadow Lit's accessors wherever fields use [[Define]] semantics.
  /** Provider `type`: `cloudbase`, `tencent-ciam`, `alibaba-idaas`, `zhuyun-idaas`, `janrain` or `oidc`. */
  declare provider: string;
  /** `local` (default), `session` or `memory`. */
  declare storage: 'local' | 'session' | 'memory';
  /** Prefix of the storage keys and the tab channel (default `auth-elements`): two configurations of one backend keep separate sessions with two keys. */
  declare storageKey?: string;
  /** Full options, for what attributes cannot say (a custom storage adapter, passkey URLs…); wins over attributes. */
  declare options?: Partial<ConfigureOptions>;

  readonly #i18n = new LanguageController(this);
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
    // The page's language changed: errors are worded in the new one from now on.
    if (this.#client && !this.options?.lang) this.#client.lang = this.#i18n.language;
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  /** The backend's settings, from its table's properties: `{ type, ...settings }`. */
  #settings(): Record<string, unknown> {
    const settings: Record<string, unknown> = { type: this.provider };
    const table = SETTINGS[this.provider as keyof typeof SETTINGS] ?? {};
    for (const [name, row] of Object.entries(table)) {
      const value: unknown = Reflect.get(this, row.property ?? name);
      if (value !== undefined && value !== null) settings[name] = value;
    }
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
      lang: this.#i18n.language,
      ...this.options,
      // An unknown `type` is refused by the registry with a clear `config` error.
      provider: this.options?.provider ?? (this.#settings() as ProviderConfig),
    };
    this.#client = createAuthClient(options);
    this.#detach = attachHub(this.#client, this);
    this.#provider.setValue(this.#client);
  }
}

// The backend settings, typed: one property per setting of any backend's table.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AuthConfig extends SettingProperties {}

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
