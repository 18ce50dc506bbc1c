import type { AuthError } from '../core/errors.js';
import { en, type Messages } from './en.js';
import { zhCN } from './zh-cn.js';

export type Language = 'en' | 'zh-CN';
export type MessageKey = keyof Messages['ui'];

const catalogs: Record<Language, Messages> = { en, 'zh-CN': zhCN };

/** `zh`, `zh-CN`, `zh-Hans`… → zh-CN; everything else → en (the fallback). */
export function pickLanguage(tag: string | null | undefined): Language {
  return tag && /^zh\b/i.test(tag) ? 'zh-CN' : 'en';
}

/** The element's `lang`, else the nearest `[lang]` (crossing shadow roots), else the browser. */
export function languageOf(element: Element): Language {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.getAttribute('lang')) return pickLanguage(node.getAttribute('lang'));
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return pickLanguage(globalThis.navigator?.language);
}

/** A UI string with `{name}` placeholders filled in (as text; callers render it as text). */
export function t(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogs[language].ui[key] ?? en.ui[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/**
 * The message for an error in the person's language, with what the backend told us about
 * attempts left or when to retry. The backend's own text is not shown: its language and
 * wording are not ours to trust, and the code says the same thing.
 */
export function errorMessage(language: Language, error: AuthError): string {
  const catalog = catalogs[language];
  const parts = [catalog.errors[error.code] ?? error.message];
  if (error.remainingAttempts !== undefined) parts.push(t(language, 'attemptsLeft', { count: error.remainingAttempts }));
  if (error.lockedUntil !== undefined) parts.push(t(language, 'lockedUntil', { time: new Date(error.lockedUntil * 1000).toLocaleTimeString(language) }));
  else if (error.retryAfter !== undefined) parts.push(t(language, 'retryAfter', { seconds: error.retryAfter }));
  return parts.join(' ');
}
