import { html, nothing } from 'lit';
import type { Identifier } from '../../contract/index.js';
import { field, isEmail, phoneField, toE164 } from '../base/fields.js';
import { read, type ViewHost } from './host.js';

export type IdentifierValue = { email: string } | { phone: string } | { username: string };

/**
 * The "who" of a form: which kind of identifier (email, phone, username: those the backend
 * accepts for this form), its input, and reading it with the page's own checks.
 */
export class IdentifierInput {
  /** The kind the person picked, or the element's `identifier` attribute. */
  chosen: Identifier | undefined;

  constructor(private readonly host: ViewHost) {}

  /** The kind in use among `allowed`. */
  kind(allowed: Identifier[]): Identifier {
    return this.chosen && allowed.includes(this.chosen) ? this.chosen : allowed[0] ?? 'email';
  }

  render(allowed: Identifier[], autocomplete: string) {
    const { i18n, form } = this.host;
    const kind = this.kind(allowed);
    const id = this.host.id_('identifier');
    const invalid = form.message('identifier', kind);
    const input = kind === 'phone'
      ? phoneField({ id, label: i18n.t('phone'), regionLabel: i18n.t('region'), region: this.host.defaultRegion, autocomplete, invalid })
      : field({ id, label: i18n.t(kind), name: 'username', type: kind === 'email' ? 'email' : 'text', autocomplete, invalid });
    return html`${this.#choice(allowed, kind)}${input}`;
  }

  #choice(allowed: Identifier[], kind: Identifier) {
    if (allowed.length < 2) return nothing;
    const { i18n } = this.host;
    return html`<div part="row choice" role="radiogroup" aria-label=${i18n.t('identifier')}>
      ${allowed.map(
        (choice) => html`<label part="label choice-option"
          ><input type="radio" name="identifier-kind" .checked=${choice === kind} @change=${() => this.#pick(choice)} />
          ${i18n.t(choice)}</label
        >`,
      )}
    </div>`;
  }

  #pick(choice: Identifier) {
    this.chosen = choice;
    this.host.form.clear(); // a new identifier: the last attempt's messages are not about it
    this.host.requestUpdate();
  }

  /** The identifier typed, checked; null (with the field marked) when it cannot be one. */
  read(form: HTMLFormElement, allowed: Identifier[]): IdentifierValue | null {
    const kind = this.kind(allowed);
    const typed = read(form, 'username');
    if (!typed) return this.#refuse(kind, 'required');
    if (kind === 'phone') {
      const phone = toE164(read(form, 'region') || this.host.defaultRegion, typed);
      return phone ? { phone } : this.#refuse(kind, 'invalid_phone');
    }
    if (kind === 'email') return isEmail(typed) ? { email: typed } : this.#refuse(kind, 'invalid_email');
    return { username: typed };
  }

  #refuse(kind: Identifier, problem: 'required' | 'invalid_phone' | 'invalid_email'): null {
    this.host.form.invalidate(kind, problem);
    return null;
  }
}

/** How a contact is shown back to the person ("We sent a code to …"). */
export function contactOf(value: IdentifierValue): string {
  return 'email' in value ? value.email : 'phone' in value ? value.phone : value.username;
}
