import type { AuthError, ClientNotice } from '../../contract/index.js';
import type { AuthClient } from '../../core/client.js';

/** Marks a DOM event with the client notice it announces, so it is announced once per target. */
export const NOTICE = Symbol.for('auth-elements.notice');

type Marked = Event & { [NOTICE]?: ClientNotice };

export function markedEvent(type: string, detail: unknown, notice: ClientNotice): CustomEvent {
  const event = new CustomEvent(type, { detail, bubbles: true, composed: true }) as CustomEvent & Marked;
  event[NOTICE] = notice;
  return event;
}

/**
 * The DOM event for a client notice, or null for a bare state update. `error` replaces the
 * notice's error (the same error in the announcing element's language).
 */
export function eventFor(notice: ClientNotice, error?: AuthError): CustomEvent | null {
  if (notice.type === 'change') return markedEvent('auth-state-change', { event: notice.event, session: notice.session }, notice);
  if (notice.type === 'error') return markedEvent('auth-error', { error: error ?? notice.error }, notice);
  return null;
}

/**
 * Announces every change and error of `client` on `target` (an `<auth-config>`, or `document`
 * for the default client), except the ones an element inside already announced: those bubble
 * through `target` on their own, and a page listening there must hear each change once.
 */
export function attachHub(client: AuthClient, target: EventTarget): () => void {
  const seen = new WeakSet<ClientNotice>();
  const mark = (event: Event) => {
    const notice = (event as Marked)[NOTICE];
    if (notice && event.target !== target) seen.add(notice);
  };
  target.addEventListener('auth-state-change', mark, true);
  target.addEventListener('auth-error', mark, true);
  const unsubscribe = client.subscribe((notice) => {
    if (notice.type === 'state') return;
    // Elements announce synchronously while the client notifies; wait until they have.
    queueMicrotask(() => {
      if (seen.has(notice)) return;
      const event = eventFor(notice);
      if (event) target.dispatchEvent(event);
    });
  });
  return () => {
    unsubscribe();
    target.removeEventListener('auth-state-change', mark, true);
    target.removeEventListener('auth-error', mark, true);
  };
}
