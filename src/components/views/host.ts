import type { ReactiveControllerHost } from 'lit';
import type { AuthController } from '../base/auth-controller.js';
import type { FormController } from '../base/form-controller.js';
import type { LanguageController } from '../base/language-controller.js';

/** What a view needs of the element that shows it: its three controllers and ids. */
export interface ViewHost extends ReactiveControllerHost, HTMLElement {
  readonly auth: AuthController;
  readonly form: FormController;
  readonly i18n: LanguageController;
  /** Country calling code for phone numbers typed without one. */
  defaultRegion: string;
  id_(name: string): string;
}

/** The form's data: the value of a named control, trimmed. */
export function read(form: HTMLFormElement, name: string): string {
  return String(new FormData(form).get(name) ?? '').trim();
}
