import { navigableUrl } from './util/url.js';

/**
 * Everything the client needs from the page, behind one seam: the address bar, navigation and
 * visibility. Outside a browser (SSR, Node tests) there is no URL and the page is always visible.
 */
export interface Environment {
  /** The current page URL, or null where there is none. */
  url(): string | null;
  navigate(url: string): void;
  /** Rewrites the address bar without a navigation (used to drop callback parameters). */
  replaceUrl(url: string): void;
  hidden(): boolean;
  /** Calls `listener` each time the page becomes visible; returns the unsubscribe. */
  onVisible(listener: () => void): () => void;
  /**
   * Opens an empty popup window (call it from the click that asked for it: browsers block a
   * popup opened later); null where there is none, or the browser blocked it.
   */
  openPopup?(): PopupWindow | null;
  /**
   * In a popup opened by a page of this origin: hands that page `url` (a redirect callback) and
   * resolves true once it took it. False at once in any other window.
   */
  handBack?(url: string): Promise<boolean>;
}

/** A popup this page opened, as the popup sign-in uses it. */
export interface PopupWindow {
  navigate(url: string): void;
  close(): void;
  readonly closed: boolean;
  /** Messages the popup posts to this page from this very origin; returns the unsubscribe. */
  onMessage(listener: (data: unknown, reply: (answer: unknown) => void) => void): () => void;
}

/** What the popup posts to the page that opened it. */
export const POPUP_MESSAGE = 'auth-elements:oauth-callback';
const HAND_BACK_TIMEOUT = 3000;

export function browserEnvironment(): Environment {
  const hasWindow = typeof window !== 'undefined' && typeof document !== 'undefined';
  return {
    url: () => (hasWindow ? window.location.href : null),
    navigate: (url) => {
      if (hasWindow) window.location.assign(url);
    },
    replaceUrl: (url) => {
      if (hasWindow) window.history.replaceState(window.history.state, '', url);
    },
    hidden: () => hasWindow && document.visibilityState === 'hidden',
    onVisible: (listener) => {
      if (!hasWindow) return () => {};
      const handler = () => {
        if (document.visibilityState === 'visible') listener();
      };
      document.addEventListener('visibilitychange', handler);
      return () => document.removeEventListener('visibilitychange', handler);
    },
    openPopup: () => (hasWindow ? openPopup() : null),
    handBack: (url) => (hasWindow ? handBack(url) : Promise.resolve(false)),
  };
}

function openPopup(): PopupWindow | null {
  // Not `noopener`: the popup hands the callback back to this window (and nothing else can).
  const popup = window.open('', `auth-elements-${Math.random().toString(36).slice(2)}`, 'popup,width=500,height=640');
  if (!popup) return null;
  return {
    navigate: (url) => popup.location.replace(url),
    close: () => popup.close(),
    get closed() {
      return popup.closed;
    },
    onMessage(listener) {
      const receive = (event: MessageEvent) => {
        // Only this popup, and only once it is back on this origin (a strict origin check).
        if (event.source !== popup || event.origin !== window.location.origin) return;
        const [port] = event.ports;
        listener(event.data, (answer) => port?.postMessage(answer));
      };
      window.addEventListener('message', receive);
      return () => window.removeEventListener('message', receive);
    },
  };
}

function handBack(url: string): Promise<boolean> {
  const opener = window.opener as Window | null;
  if (!opener || opener === window) return Promise.resolve(false);
  try {
    // Reading another origin's location throws: only a page of this origin is handed anything.
    if (opener.location.origin !== window.location.origin) return Promise.resolve(false);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const done = (taken: boolean) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(taken);
    };
    // A page that opened this one for its own reasons takes nothing: the callback completes here.
    const timer = setTimeout(() => done(false), HAND_BACK_TIMEOUT);
    channel.port1.onmessage = (event) => done(event.data === 'taken');
    try {
      opener.postMessage({ type: POPUP_MESSAGE, url }, window.location.origin, [channel.port2]);
    } catch {
      done(false);
    }
  });
}

/**
 * `env` with every navigation checked first (`navigableUrl`): the client wraps whatever
 * environment it is given, so no address reaches the address bar unchecked. A refused address
 * throws a `config` AuthError and the page stays where it is.
 */
export function checkedEnvironment(env: Environment): Environment {
  const checked = Object.create(env) as Environment;
  checked.navigate = (url) => env.navigate(navigableUrl(url));
  return checked;
}
