// The shared form styles: every views module lists them first (AuthFormElement adopts them, once per
// document, when the views arrive), so they load with the views, not before the first input.
import { css } from 'lit';

/**
 * The shared look of every form, at zero specificity (`:where`) so that any page rule wins,
 * made of `--auth-*` custom properties with defaults. Colours mix with the page's own system
 * colours (Canvas, CanvasText), so the same defaults read well on a light or a dark page
 * (`color-scheme: dark`). Logical properties keep right-to-left layouts right.
 */
export const formBase = css`
  :where(.auth-form, .auth-card) {
    --_primary: var(--auth-primary, #2457d6);
    --_link: var(--auth-link-color, color-mix(in srgb, var(--_primary) 78%, CanvasText));
    --_error: var(--auth-error-color, color-mix(in srgb, #d32f2f 82%, CanvasText));
    --_border: var(--auth-border-color, color-mix(in srgb, CanvasText 42%, Canvas));
    --_muted: var(--auth-muted-color, color-mix(in srgb, CanvasText 70%, Canvas));
    --_radius: var(--auth-radius, 0.5rem);
    --_focus: var(--auth-focus-ring, 2px solid var(--_link));
    font-family: var(--auth-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif);
    font-size: var(--auth-font-size, 1rem);
    line-height: 1.5;
    color: var(--auth-color, CanvasText);
  }
  :where(.auth-card) {
    display: grid;
    /* One column that never grows past the card: long words and rows shrink or wrap instead. */
    grid-template-columns: minmax(0, 1fr);
    gap: var(--auth-gap, 1rem);
    box-sizing: border-box;
    inline-size: 100%;
    max-inline-size: var(--auth-max-width, 24rem);
    padding: var(--auth-card-padding, clamp(1.25rem, 5vw, 2rem));
    border: var(--auth-card-border, 1px solid color-mix(in srgb, CanvasText 14%, Canvas));
    border-radius: calc(var(--_radius) * 2);
    background: var(--auth-surface, Canvas);
    box-shadow: var(--auth-card-shadow, 0 1px 2px rgb(0 0 0 / 0.06), 0 8px 24px rgb(0 0 0 / 0.08));
  }
  :where(.auth-card [part~='heading']) {
    margin: 0;
    font-size: var(--auth-heading-size, 1.375rem);
    font-weight: 650;
    line-height: 1.3;
  }
  :where(.auth-card [part~='heading']:focus) {
    outline: none;
  }
  :where(.auth-form) {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--auth-gap, 1rem);
    max-inline-size: var(--auth-max-width, 24rem);
    margin: 0;
  }
  :where(.auth-card .auth-form) {
    max-inline-size: none;
  }
  :where(.auth-form fieldset) {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--auth-gap, 1rem);
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }
  :where(.auth-form [part~='field']) {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.375rem;
  }
  :where(.auth-form [part~='label']) {
    font-weight: var(--auth-label-weight, 600);
    font-size: var(--auth-label-size, 0.9375rem);
  }
  :where(.auth-form [part~='input']) {
    font: inherit;
    box-sizing: border-box;
    min-block-size: 2.75rem;
    padding: var(--auth-input-padding, 0.5rem 0.75rem);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--auth-input-background, Field);
    color: var(--auth-input-color, FieldText);
    min-inline-size: 0;
  }
  :where(.auth-form [part~='input'][aria-invalid='true']) {
    border-color: var(--_error);
    box-shadow: 0 0 0 1px var(--_error);
  }
  :where(.auth-form :is(input, button, a, [tabindex]):focus-visible) {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  :where(.auth-form [part~='button']) {
    position: relative;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    box-sizing: border-box;
    min-block-size: 2.75rem;
    font: inherit;
    font-weight: 600;
    padding: var(--auth-button-padding, 0.5rem 1rem);
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: var(--_primary);
    color: var(--auth-primary-contrast, #fff);
    cursor: pointer;
    text-align: center;
  }
  :where(.auth-form [part~='button']:hover:not(:disabled)) {
    background: color-mix(in srgb, var(--_primary) 88%, CanvasText);
  }
  :where(.auth-form [part~='button'][part~='secondary']) {
    background: transparent;
    color: var(--auth-color, CanvasText);
    border-color: var(--_border);
  }
  :where(.auth-form [part~='button'][part~='secondary']:hover:not(:disabled)) {
    background: color-mix(in srgb, CanvasText 6%, transparent);
  }
  :where(.auth-form [part~='button']:disabled) {
    opacity: 0.55;
    cursor: not-allowed;
  }
  /* Busy: the fieldset is disabled while a request runs; its main button shows a spinner. */
  :where(.auth-form fieldset:disabled [part~='button']) {
    opacity: 0.75;
    cursor: progress;
  }
  :where(.auth-form fieldset:disabled button[type='submit'])::before {
    content: '';
    inline-size: 1em;
    block-size: 1em;
    border: 2px solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: auth-spin 0.8s linear infinite;
  }
  @keyframes auth-spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :where(.auth-form fieldset:disabled button[type='submit'])::before {
      animation-duration: 2.4s;
    }
  }
  :where(.auth-form [part~='link']) {
    font: inherit;
    justify-self: start;
    padding: 0.125rem 0;
    border: 0;
    background: none;
    color: var(--_link);
    text-decoration: underline;
    text-underline-offset: 0.2em;
    cursor: pointer;
  }
  :where(.auth-form [part~='links']) {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0.5rem 1rem;
  }
  :where(.auth-form [part~='error']) {
    color: var(--_error);
    margin: 0;
    font-weight: 500;
  }
  :where(.auth-form [part~='error']:focus) {
    outline: none;
  }
  :where(.auth-form [part~='error']:not(:empty), .auth-form [part~='invalid']) {
    display: flex;
    gap: 0.5rem;
    align-items: baseline;
  }
  :where(.auth-form [part~='error']:not(:empty), .auth-form [part~='invalid'])::before {
    content: '!';
    flex: none;
    display: inline-grid;
    place-items: center;
    inline-size: 1.15em;
    block-size: 1.15em;
    border-radius: 50%;
    background: var(--_error);
    color: Canvas;
    font-size: 0.8em;
    font-weight: 700;
    line-height: 1;
    transform: translateY(0.1em);
  }
  :where(.auth-form [part~='invalid']) {
    color: var(--_error);
  }
  :where(.auth-form [part~='error']:empty, .auth-form [part~='message']:empty) {
    display: none;
  }
  :where(.auth-form [part~='message']) {
    color: var(--_muted);
    font-size: 0.9375rem;
    margin: 0;
  }
  :where(.auth-form [part~='notice']) {
    color: var(--auth-color, CanvasText);
  }
  :where(.auth-form [part~='row']) {
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
    align-items: center;
  }
  /* The identifier kind: a segmented control over real radios (arrow keys move between them). */
  :where(.auth-form [part~='choice']) {
    display: flex;
    flex-wrap: nowrap;
    min-inline-size: 0;
    gap: 0;
    padding: 0.1875rem;
    border-radius: calc(var(--_radius) + 0.1875rem);
    background: color-mix(in srgb, CanvasText 7%, Canvas);
  }
  :where(.auth-form [part~='choice-option']) {
    flex: 1 1 0;
    position: relative;
    display: grid;
    place-items: center;
    min-block-size: 2.25rem;
    padding: 0.25rem 0.5rem;
    border-radius: var(--_radius);
    font-weight: 500;
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    cursor: pointer;
  }
  :where(.auth-form [part~='choice-option'] input) {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    cursor: pointer;
  }
  :where(.auth-form [part~='choice-option']:has(input:checked)) {
    background: Canvas;
    box-shadow: 0 1px 3px rgb(0 0 0 / 0.15);
    font-weight: 650;
  }
  :where(.auth-form [part~='choice-option']:has(input:focus-visible)) {
    outline: var(--_focus);
    outline-offset: 1px;
  }
  :where(.auth-form [part~='region']) {
    inline-size: 5rem;
    flex: none;
  }
  :where(.auth-form [part~='phone']) {
    flex-wrap: nowrap;
  }
  :where(.auth-form [part~='phone'] > [part~='input']:last-child) {
    flex: 1;
  }
  :where(.auth-sr) {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
