import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

export interface FieldOptions {
  id: string;
  label: string;
  name: string;
  type: 'text' | 'email' | 'tel' | 'password' | 'url';
  autocomplete: string;
  inputmode?: 'numeric' | 'tel' | 'email' | 'text';
  /** Help shown under the input (password rules). */
  help?: string;
  /** The message of an invalid value; marks the input `aria-invalid`. */
  invalid?: string;
  /** The value it starts with (an edited profile's current name). */
  value?: string;
}

/**
 * A labelled input whose help and error are tied to it with `aria-describedby`, so a screen
 * reader reads them when the input gets focus.
 */
export function field(options: FieldOptions) {
  const messageId = `${options.id}-message`;
  const text = options.invalid ?? options.help ?? '';
  return html`<div part="field">
    <label part="label" for=${options.id}>${options.label}</label>
    <input
      part="input"
      id=${options.id}
      name=${options.name}
      type=${options.type}
      autocomplete=${options.autocomplete}
      inputmode=${ifDefined(options.inputmode)}
      spellcheck="false"
      autocapitalize="off"
      aria-invalid=${options.invalid ? 'true' : 'false'}
      aria-describedby=${ifDefined(text ? messageId : undefined)}
      .defaultValue=${options.value ?? ''}
    />
    ${text ? html`<p part=${options.invalid ? 'message invalid' : 'message help'} id=${messageId}>${text}</p>` : nothing}
  </div>`;
}

export interface PhoneOptions {
  id: string;
  label: string;
  regionLabel: string;
  region: string;
  autocomplete: string;
  invalid?: string;
}

/** A phone number with its country calling code; the number input carries `name="username"`. */
export function phoneField(options: PhoneOptions) {
  const messageId = `${options.id}-message`;
  return html`<div part="field">
    <label part="label" for=${options.id}>${options.label}</label>
    <div part="row phone">
      <input
        part="input region"
        name="region"
        aria-label=${options.regionLabel}
        inputmode="tel"
        autocomplete="tel-country-code"
        .value=${`+${options.region.replace(/^\+/, '')}`}
      />
      <input
        part="input"
        id=${options.id}
        name="username"
        type="tel"
        inputmode="tel"
        autocomplete=${options.autocomplete}
        aria-invalid=${options.invalid ? 'true' : 'false'}
        aria-describedby=${ifDefined(options.invalid ? messageId : undefined)}
      />
    </div>
    ${options.invalid ? html`<p part="message invalid" id=${messageId}>${options.invalid}</p>` : nothing}
  </div>`;
}

/** An address that can be an email (something@domain.tld); the backend checks the rest. */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/**
 * `+86` and `138 0000 0000` → `+8613800000000`; a number typed with its own `+` keeps it.
 * Null when it cannot be a phone number (E.164: at most 15 digits).
 */
export function toE164(region: string, number: string): string | null {
  const trimmed = number.trim();
  const digits = trimmed.replace(/[\s().-]/g, '');
  if (digits.startsWith('+')) return /^\+[1-9]\d{6,14}$/.test(digits) ? digits : null;
  const code = region.replace(/\D/g, '');
  const local = digits.replace(/^0+/, '');
  const full = `+${code}${local}`;
  return /^\d+$/.test(local) && /^\+[1-9]\d{6,14}$/.test(full) ? full : null;
}
