// Every sentence a person reads: labels, error messages, field messages and durations, in
// English and Chinese. Adapters give codes and parameters; this module turns them into words.
import { rewordAuthError, type AuthError, type FieldProblem, type FormField, type Language } from '../contract/index.js';
import type { Messages } from './en.js';
import type { MoreMessages } from './en-more.js';

export type { Language };
export type MessageKey = keyof Messages['ui'] | keyof MoreMessages;
type Params = Record<string, string | number>;

/**
 * Each language is its own chunk, loaded the first time a page or a client speaks it
 * (`loadLanguage`): the client awaits its language at start-up and every action waits for it,
 * and elements render nothing until theirs is here. English, the fallback of every language,
 * comes with each. Until Chinese is there, words come out in English.
 *
 * A language's words come in two chunks: those of the first views (en.ts: `<auth-login>`'s
 * sign-in card, every error) and the rest (en-more.ts: the steps, the forms behind a link, the
 * one-time-code form, the signed-in view, the other elements), loaded with the first part or
 * element that shows them (`more`).
 */
const catalogs: Partial<Record<Language, Messages>> = {};
const beyond: Partial<Record<Language, MoreMessages>> = {};
type Chunk = Language | `${Language}+`;
const loading = new Map<Chunk, Promise<void>>();
const chunks: Record<Chunk, () => Promise<void>> = {
  en: () => import('./en.js').then((m) => addWords('en', m.en)),
  'zh-CN': () => import('./zh-cn.js').then((m) => addWords('zh-CN', m.zhCN)),
  'en+': () => import('./en-more.js').then((m) => addMoreWords('en', m.enMore)),
  'zh-CN+': () => import('./zh-cn-more.js').then((m) => addMoreWords('zh-CN', m.zhCNMore)),
};
const here = (chunk: Chunk): boolean => (chunk.endsWith('+') ? beyond[chunk.slice(0, -1) as Language] : catalogs[chunk as Language]) !== undefined;
const chunksOf = (language: Language, more: boolean): Chunk[] => [language, 'en' as const].flatMap((l): Chunk[] => (more ? [l, `${l}+`] : [l]));

/** Whether `language`'s words (and English, the fallback) are here; `more`: those beyond the first views too. */
export function languageReady(language: Language, more = false): boolean {
  return chunksOf(language, more).every(here);
}

/** Loads `language`'s words (and English) once; resolves when they are here. */
export function loadLanguage(language: Language, more = false): Promise<void> {
  if (languageReady(language, more)) return Promise.resolve();
  return Promise.all(chunksOf(language, more).map(loadOne)).then(() => {});
}

/** The languages whose first words are here: a part about to be drawn wants theirs beyond them. */
export function languagesHere(): Language[] {
  return Object.keys(catalogs) as Language[];
}

function loadOne(chunk: Chunk): Promise<void> {
  if (here(chunk)) return Promise.resolve();
  let job = loading.get(chunk);
  if (!job) {
    job = chunks[chunk]().catch((error: unknown) => {
      loading.delete(chunk); // a failed chunk load (offline) may succeed next time
      throw error;
    });
    loading.set(chunk, job);
  }
  return job;
}

/** A language's first words as registered by a module that imports them (an element's own entry, the ESM index's formatters). */
export function addWords(language: Language, words: Messages): void {
  catalogs[language] ??= words;
}

/** A language's words beyond the first views, as registered by an element's own entry that shows them. */
export function addMoreWords(language: Language, words: MoreMessages): void {
  beyond[language] ??= words;
}

/** No words yet (or offline before any arrived): every sentence is empty, every key known. */
const NONE: Messages = new Proxy({}, { get: () => new Proxy({}, { get: () => '' }) }) as Messages;
const english = (): Messages => catalogs.en ?? NONE;
const catalog = (language: Language): Messages => catalogs[language] ?? english();

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

/** The page's language where there is a page, else the fallback: the client's default `lang`. */
export function pageLanguage(): Language {
  const root = globalThis.document?.documentElement;
  return pickLanguage(root?.getAttribute('lang') || globalThis.navigator?.language);
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const LATIN = /[A-Za-z0-9]/;

/**
 * `{name}` placeholders filled in (as text; callers render it as text). In Chinese a Latin or
 * numeric value set between Chinese characters gets a space on that side ("通过 GitHub 继续").
 */
function fill(language: Language, template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    let value = String(params[name] ?? '');
    if (language === 'zh-CN' && value) {
      const before = template[offset - 1] ?? '';
      const after = template[offset + name.length + 2] ?? '';
      if (CJK.test(before) && LATIN.test(value[0]!)) value = ` ${value}`;
      if (CJK.test(after) && LATIN.test(value[value.length - 1]!)) value = `${value} `;
    }
    return value;
  });
}

/** A UI word of `language` where its chunk is here (the first views' or the rest). */
const word = (language: Language, key: MessageKey): string | undefined =>
  (catalogs[language]?.ui as Record<string, string> | undefined)?.[key] ?? (beyond[language] as Record<string, string> | undefined)?.[key];

/** A UI string in `language` (English where it lacks one; empty before any words are here). */
export function t(language: Language, key: MessageKey, params: Params = {}): string {
  return fill(language, word(language, key) ?? word('en', key) ?? '', params);
}

/** A field's message for why its value was refused. */
export function fieldMessage(language: Language, problem: FieldProblem, params: Params = {}): string {
  // Own keys only: a problem named `constructor` (from a custom adapter) reads as `invalid`.
  const known: FieldProblem = Object.hasOwn(english().fields, problem) ? problem : 'invalid';
  return fill(language, catalog(language).fields[known] ?? english().fields[known], params);
}

/**
 * A duration as people say it: under a minute in seconds, then whole minutes, hours or days,
 * rounded up (a wait is never shorter than said): "45 seconds", "5 minutes", "5 分钟".
 */
export function formatDuration(language: Language, seconds: number): string {
  const units = catalog(language).units;
  const whole = Math.max(0, Math.ceil(seconds));
  const pick = (n: number, one: keyof Messages['units'], many: keyof Messages['units']) => (n === 1 ? units[one] : fill(language, units[many], { n }));
  if (whole < 60) return pick(whole, 'second', 'seconds');
  if (whole < 3600) return pick(Math.ceil(whole / 60), 'minute', 'minutes');
  if (whole < 86_400) return pick(Math.ceil(whole / 3600), 'hour', 'hours');
  return pick(Math.ceil(whole / 86_400), 'day', 'days');
}

/**
 * The sentence for an error: what happened, then what the backend told us about attempts left
 * or when to try again. The backend's own text is never shown: its language and wording are
 * not ours to trust, and the code says the same thing.
 */
export function describeError(language: Language, error: AuthError, now = Date.now()): string {
  const words = catalog(language);
  const code = Object.hasOwn(english().errors, error.code) ? error.code : 'server';
  // No words at all (English could not load: offline) still says which error it was.
  const parts = [(words.errors[code] ?? english().errors[code]) || error.code];
  const policy = error.code === 'password_policy' ? policyText(language, error.policy) : '';
  if (policy) parts.push(policy);
  if (error.remainingAttempts !== undefined && error.remainingAttempts > 0) {
    parts.push(error.remainingAttempts === 1 ? t(language, 'attemptLeft') : t(language, 'attemptsLeft', { count: error.remainingAttempts }));
  }
  const wait = error.lockedUntil !== undefined ? error.lockedUntil - now / 1000 : error.retryAfter;
  if (wait !== undefined && wait > 0) parts.push(t(language, 'retryIn', { duration: formatDuration(language, wait) }));
  // Chinese sentences end in full-width stops and run on without a space (when they are Chinese).
  return parts.join(language === 'zh-CN' && languageReady(language) ? '' : ' ');
}

/** The rules of a password policy in words: the backend's own tip, labelled, else the length. */
export function policyText(language: Language, policy: { minLength?: number; tip?: string } | undefined): string {
  if (policy?.tip) return t(language, 'passwordRules', { tip: policy.tip });
  if (policy?.minLength) return t(language, 'passwordMinLength', { min: policy.minLength });
  return '';
}

/** Field → message, from the error's field problems. */
export function fieldMessages(language: Language, error: AuthError): Record<string, string> | undefined {
  if (!error.invalid) return undefined;
  const params = { min: error.policy?.minLength ?? '', max: error.policy?.maxLength ?? '' };
  const entries = Object.entries(error.invalid).map(([field, problem]) => [field, fieldMessage(language, problem!, params)] as const);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** The same error in `language`: `message` and `fields` are the words an element shows. */
export function localizeError(language: Language, error: AuthError): AuthError {
  return rewordAuthError(error, describeError(language, error), fieldMessages(language, error));
}

export type { FormField };
