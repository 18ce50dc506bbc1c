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
}

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
  };
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
