// The device and context headers every `/api/v2/sdk/*` call must carry (PROVIDERS.md §4.3):
// X-operating-sys-version, X-device-fingerprint, X-agent (required), X-L (optional language).
// Read from `navigator` when there is one; never throws where there is none (Node, workers).
import type { Language } from '../../contract/index.js';

/** What this module reads of `navigator`; all optional so a missing global is harmless. */
interface NavigatorLike {
  userAgent?: string;
  platform?: string;
}

function currentNavigator(): NavigatorLike | undefined {
  const nav = (globalThis as { navigator?: NavigatorLike }).navigator;
  return typeof nav === 'object' && nav !== null ? nav : undefined;
}

/**
 * An id for `X-device-fingerprint`: 128 random bits as hex. It is not a fingerprint of the
 * hardware (which would mean tracking); it only has to be stable for one browser, which is the
 * caller's job (the `deviceId` setting), because a provider never touches storage.
 */
export function randomDeviceId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The OS and version in the seed's style (`windows10.1.1`), from the user agent where it names
 * one, else `navigator.platform`, else `unknown`.
 */
// [?] The docs give one example value and no format; any non-empty string passes the emulation.
export function operatingSystem(nav: NavigatorLike | undefined = currentNavigator()): string {
  const ua = nav?.userAgent ?? '';
  const found: Array<[RegExp, string]> = [
    [/Windows NT ([\d.]+)/, 'windows'],
    [/(?:iPhone|CPU) OS ([\d_]+)/, 'ios'],
    [/Mac OS X ([\d_.]+)/, 'macos'],
    [/Android ([\d.]+)/, 'android'],
    [/HarmonyOS ([\d.]+)/, 'harmonyos'],
  ];
  for (const [pattern, name] of found) {
    const match = pattern.exec(ua);
    if (match) return `${name}${match[1]!.replace(/_/g, '.')}`;
  }
  const platform = nav?.platform?.trim();
  return platform || (/Linux/.test(ua) ? 'linux' : 'unknown');
}

/** `X-agent`: the user agent, or `unknown` outside a browser. */
export function agent(nav: NavigatorLike | undefined = currentNavigator()): string {
  return nav?.userAgent?.trim() || 'unknown';
}

/**
 * `X-L` for the person's language, per call (`ctx.lang`): the backend then words its `error_msg`
 * in it. The adapter never shows that text, but it parses numbers out of it in both languages.
 */
export function languageHeader(lang: Language): string {
  // `zh` is the seed's example value [C] (shared/seeds/002, X-L). [?] `en` for English: the seed
  // shows only `zh` (PROVIDERS.md §4.3 says "e.g. zh or en").
  return lang === 'zh-CN' ? 'zh' : 'en';
}

/**
 * The device headers of every call, computed once per provider: none of them change while a
 * page lives. `X-L` is not among them: it follows the language of each call.
 */
export function deviceHeaders(options: { clientId: string; deviceId: string; tenantId?: string }): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json', // required on every call [C], GET included
    'x-operating-sys-version': operatingSystem(),
    'x-device-fingerprint': options.deviceId,
    'x-agent': agent(),
    'x-client-id': options.clientId,
  };
  // Optional, for ISV apps (documented by Huawei OneAccess, §4.1).
  if (options.tenantId) headers['x-tenant-id'] = options.tenantId;
  // X-device-ip is not sent: a page cannot know its public address, and the relay fills it in.
  return headers;
}
