import type { AuthChangeEvent, Session } from '../contract/index.js';

export interface TabMessage {
  /** Absent when the change was read from a storage event, which does not say what happened. */
  event?: AuthChangeEvent;
  session: Session | null;
}

/**
 * Tells the other tabs of one configuration that its session changed. BroadcastChannel where it
 * exists; otherwise the `storage` event on the session key, which every other tab receives when
 * localStorage changes.
 */
export class TabSync {
  #channel: BroadcastChannel | null = null;
  #onStorage: ((event: StorageEvent) => void) | null = null;

  constructor(
    name: string,
    storageKey: string,
    parse: (raw: string) => Session | null,
    receive: (message: TabMessage) => void,
  ) {
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(name);
      this.#channel.onmessage = (event: MessageEvent<TabMessage>) => {
        const data = event.data;
        if (data && typeof data === 'object' && 'session' in data) {
          receive({ event: data.event, session: data.session === null ? null : parse(JSON.stringify(data.session)) });
        }
      };
      // Node keeps the process alive while a channel is open; a page does not care.
      (this.#channel as unknown as { unref?: () => void }).unref?.();
    } else if (typeof addEventListener === 'function') {
      this.#onStorage = (event) => {
        if (event.key !== storageKey) return;
        receive({ session: event.newValue ? parse(event.newValue) : null });
      };
      addEventListener('storage', this.#onStorage);
    }
  }

  post(message: TabMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      /* a closed channel or an uncloneable value: other tabs catch up from storage */
    }
  }

  close(): void {
    this.#channel?.close();
    this.#channel = null;
    if (this.#onStorage) removeEventListener('storage', this.#onStorage);
    this.#onStorage = null;
  }
}
