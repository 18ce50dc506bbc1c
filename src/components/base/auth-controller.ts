import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ActionOptions, AuthClient, AuthState } from '../../core/client.js';
import type { ClientNotice } from '../../core/events.js';
import { getClient, watchDefaultClient } from '../../default-client.js';
import { authClientContext } from './context.js';
import { eventFor } from './hub.js';

const SIGNED_OUT: AuthState = { status: 'signed-out', session: null, user: null, pending: null };

/**
 * The one way an element reaches its client: the nearest `<auth-config>` through Lit context,
 * else the default client of `configure()`. It re-renders the host on every state change, and
 * announces from the host the changes and errors of the actions the host started.
 */
export class AuthController implements ReactiveController {
  #host: ReactiveControllerHost & HTMLElement;
  #consumer: ContextConsumer<typeof authClientContext, ReactiveControllerHost & HTMLElement>;
  #client: AuthClient | null = null;
  #unsubscribe: (() => void) | null = null;
  #unwatch: (() => void) | null = null;
  #action: AbortController | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
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

  #pick(): AuthClient | null {
    return this.#consumer.value ?? getClient();
  }

  #use(client: AuthClient | null): void {
    if (client === this.#client) return;
    this.#unsubscribe?.();
    this.#client = client;
    this.#unsubscribe = client?.subscribe((notice) => this.#onNotice(notice)) ?? null;
    this.#host.requestUpdate();
  }

  #onNotice(notice: ClientNotice): void {
    if (notice.type === 'state') {
      this.#host.requestUpdate();
      return;
    }
    if (notice.source !== this.#host) return;
    const event = eventFor(notice);
    if (event) this.#host.dispatchEvent(event);
  }
}
