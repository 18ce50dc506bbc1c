import { html, nothing } from 'lit';
import type { Language, User } from '../../contract/index.js';
import { t } from '../../i18n/index.js';

/**
 * How the signed-in person is named (DESIGN.md, `<auth-user>`): the name, else the email, else
 * the phone number masked, else a neutral "Signed in". Empty values are skipped.
 */
export function displayName(user: User | null, language: Language): string {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : '');
  return text(user?.name) || text(user?.email) || (text(user?.phone) && maskPhone(text(user?.phone))) || t(language, 'signedIn');
}

/** Only an https address becomes the person's picture (an `<img>` of it is shown to them). */
export function isPictureUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** `+8613800000000` → `+86 138 **** 0000`; other numbers keep their first and last digits. */
export function maskPhone(phone: string): string {
  const compact = phone.replace(/[\s()-]/g, '');
  // Already masked by the backend (`138****0000`), or not a number: shown as it came.
  if (!/^\+?\d+$/.test(compact)) return phone;
  const mainland = /^\+86(1\d{2})\d{4}(\d{4})$/.exec(compact);
  if (mainland) return `+86 ${mainland[1]} **** ${mainland[2]}`;
  const digits = compact.replace(/^\+/, '');
  if (digits.length < 7) return compact;
  return `${compact.startsWith('+') ? '+' : ''}${digits.slice(0, 3)} **** ${digits.slice(-4)}`;
}

/**
 * Who is signed in: the picture (an `https:` one only) or an initial as avatar, the name, and the
 * email or phone below it when it differs.
 */
export function userSummary(user: User | null, language: Language) {
  const name = displayName(user, language);
  const contact = typeof user?.email === 'string' && user.email ? user.email : typeof user?.phone === 'string' && user.phone ? maskPhone(user.phone) : '';
  const detail = contact && contact !== name ? contact : '';
  return html`${isPictureUrl(user?.picture) ? html`<img part="avatar picture" src=${user.picture} alt="" />` : html`<span part="avatar" aria-hidden="true">${[...name.trim()][0] ?? '?'}</span>`}
    <span part="who">
      <span part="name" data-auth-status tabindex="-1">${name}</span>
      ${detail ? html`<span part="detail">${detail}</span>` : nothing}
    </span>`;
}
