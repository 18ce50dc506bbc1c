/**
 * A captcha page (CloudBase's) returns to the redirect URI with `captcha_token`, `expires_in`
 * and `state`. Opened as a popup from a form, that return lands in the popup: the popup hands
 * the token to the page that opened it (same origin only) and closes.
 */
export const CAPTCHA_MESSAGE = 'auth-elements:captcha';

export interface CaptchaReturn {
  type: typeof CAPTCHA_MESSAGE;
  token: string;
  expiresIn?: number;
  state: string | null;
}

let handled = false;

/** Called once per page by the elements; does nothing unless this page is such a popup. */
export function returnCaptchaToOpener(): void {
  if (handled || typeof window === 'undefined') return;
  handled = true;
  const params = new URL(window.location.href).searchParams;
  const token = params.get('captcha_token');
  const opener = window.opener as Window | null;
  if (!token || !opener) return;
  try {
    if (opener.location.origin !== window.location.origin) return;
  } catch {
    return; // another origin's window: never hand it a token
  }
  const message: CaptchaReturn = { type: CAPTCHA_MESSAGE, token, expiresIn: Number(params.get('expires_in')) || undefined, state: params.get('state') };
  opener.postMessage(message, window.location.origin);
  window.close();
}

/** Waits in the opener for the popup's token; resolves null if the popup is closed first. */
export function waitForCaptcha(popup: Window, state: string | undefined, signal?: AbortSignal): Promise<CaptchaReturn | null> {
  return new Promise((resolve) => {
    const done = (value: CaptchaReturn | null) => {
      window.removeEventListener('message', onMessage);
      clearInterval(watch);
      resolve(value);
    };
    const onMessage = (event: MessageEvent) => {
      const data = event.data as CaptchaReturn | undefined;
      if (event.origin !== window.location.origin || event.source !== popup || data?.type !== CAPTCHA_MESSAGE) return;
      if (state && data.state !== state) return;
      done(data);
    };
    window.addEventListener('message', onMessage);
    const watch = setInterval(() => popup.closed && done(null), 500);
    signal?.addEventListener('abort', () => done(null), { once: true });
  });
}
