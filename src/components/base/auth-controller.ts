import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AuthError, Capabilities, ClientNotice } from '../../contract/index.js';
import type { ActionOptions, AuthClient, AuthState } from '../../core/client.js';
import { getClient, watchDefaultClient } from '../../default-client.js';
import { languageOf, localizeError, type Language } from '../../i18n/index.js';
import { authClientContext } from './context.js';
import { eventFor } from './hub.js';

const SIGNED_OUT: AuthState = { status: 'signed-out', session: null, user: null, pending: null };
const NONE: Capabilities = { password: [], signUp: [], recovery: [], otp: [], oauth: [], popup: false, anonymous: false, refresh: false };

/** Each error in each language once, so that the event and the form carry the same words. */
const worded = new WeakMap<AuthError, Map<Language, AuthError>>();

/** `error` in `language`: the same object every time it is asked for. */
export function wordError(error: AuthError, language: Language): AuthError {
  let byLanguage = worded.get(error);
  if (!byLanguage) worded.set(error, (byLanguage = new Map()));
  let found = byLanguage.get(language);
  if (!found) {
    found = localizeError(language, error);
    byLanguage.set(language, found);
    worded.set(found, byLanguage);
  }
  return found;
}

/**
 * The one way an element reaches its client: the nearest `<auth-config>` through Lit context,
 * else the default client of `configure()`. It re-renders the host on every state change, and
 * announces from the host the changes and errors of the actions the host started, in the host's
 * language.
 */
export class AuthController implements ReactiveController {
  #host: ReactiveControllerHost & HTMLElement;
  #consumer: ContextConsumer<typeof authClientContext, ReactiveControllerHost & HTMLElement>;
  #client: AuthClient | null = null;
  #unsubscribe: (() => void) | null = null;
  #unwatch: (() => void) | null = null;
  #action: AbortController | null = null;
  #changed = new Set<() => void>();

  readonly #language: () => Language;

  /** `language`: the host's language (default: its `lang`, else the nearest `[lang]`). */
  constructor(host: ReactiveControllerHost & HTMLElement, language: () => Language = () => languageOf(host)) {
    this.#host = host;
    this.#language = language;
    this.#consumer = new ContextConsumer(host, {
      context: authClientContext,
      subscribe: true,
      callback: () => this.#use(this.#pick()),
    });
    host.addController(this);
  }

  get client(): AuthClient | null {
    return this.#client;
  }

  get state(): AuthState {
    return this.#client?.state ?? SIGNED_OUT;
  }

  get capabilities(): Capabilities {
    return this.#client?.capabilities ?? NONE;
  }

  /**
   * Someone is signed in, or start-up is restoring a stored session (`client.restoring`: most
   * likely someone is, in a moment): no element offers to sign in meanwhile.
   */
  get signedIn(): boolean {
    return this.state.status === 'signed-in' || !!this.#client?.restoring;
  }

  /** Called when the element starts using another client (another configuration). */
  onClientChange(callback: () => void): void {
    this.#changed.add(callback);
  }

  hostConnected(): void {
    this.#unwatch = watchDefaultClient(() => this.#use(this.#pick()));
    this.#use(this.#pick());
  }

  hostDisconnected(): void {
    this.abort();
    this.#unwatch?.();
    this.#unwatch = null;
    this.#use(null);
  }

  /**
   * Options for one action of the host: a fresh signal that cancels the previous action (a
   * second submit) and is cancelled when the host leaves the page.
   */
  action(): ActionOptions {
    this.abort();
    this.#action = new AbortController();
    return { signal: this.#action.signal, source: this.#host };
  }

  abort(): void {
    this.#action?.abort();
    this.#action = null;
  }

  /** Announces from the host an error the client did not report (a passkey ceremony's). */
  announce(error: AuthError): AuthError {
    const shown = wordError(error, this.#language());
    this.#host.dispatchEvent(new CustomEvent('auth-error', { detail: { error: shown }, bubbles: true, composed: true }));
    return shown;
  }

  #pick(): AuthClient | null {
    return this.#consumer.value ?? getClient();
  }

  #use(client: AuthClient | null): void {
    if (client === this.#client) return;
    this.#unsubscribe?.();
    const before = this.#client;
    this.#client = client;
    this.#unsubscribe = client?.subscribe((notice) => this.#onNotice(notice)) ?? null;
    if (before) for (const callback of this.#changed) callback();
    this.#host.requestUpdate();
  }

  #onNotice(notice: ClientNotice): void {
    if (notice.type === 'state') {
      this.#host.requestUpdate();
      return;
    }
    if (notice.source !== this.#host) return;
    const event = eventFor(notice, notice.type === 'error' ? wordError(notice.error, this.#language()) : undefined);
    if (event) this.#host.dispatchEvent(event);
  }
}
