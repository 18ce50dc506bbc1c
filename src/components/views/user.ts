import { css, html, nothing } from 'lit';
import type { Language, User } from '../../contract/index.js';
import { t } from '../../i18n/index.js';
import { maskPhone } from './mask-phone.js';

/**
 * Who is signed in (`userSummary` in a `user` part): avatar, name, and a second line. Only the
 * views that show someone signed in carry it, not the first views (base/document-styles.ts).
 */
export const userStyles = css`
  :where(.auth-form [part~='user']) {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    min-inline-size: 0;
  }
  :where(.auth-form [part~='avatar']) {
    flex: none;
    display: grid;
    place-items: center;
    inline-size: var(--auth-avatar-size, 2.5rem);
    block-size: var(--auth-avatar-size, 2.5rem);
    border-radius: 50%;
    background: var(--_primary);
    color: var(--auth-primary-contrast, #fff);
    font-weight: 650;
    text-transform: uppercase;
  }
  :where(.auth-form img[part~='avatar']) {
    object-fit: cover;
  }
  :where(.auth-form [part~='who']) {
    flex: 1 1 8rem;
    display: grid;
    min-inline-size: 0;
  }
  :where(.auth-form [part~='name']) {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  :where(.auth-form [part~='name']:focus) {
    outline: none;
  }
  :where(.auth-form [part~='detail']) {
    color: var(--_muted);
    font-size: 0.875rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;

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
