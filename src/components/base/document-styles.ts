import { css, type CSSResult } from 'lit';

const adopted = new WeakMap<Document, Set<CSSResult>>();

/**
 * Adopts stylesheets into a document once each. Constructed stylesheets need no `<style>` tag
 * and no `'unsafe-inline'`, so a strict Content Security Policy stays intact.
 */
export function adoptDocumentStyles(document: Document, styles: CSSResult[]): void {
  let done = adopted.get(document);
  if (!done) adopted.set(document, (done = new Set()));
  const sheets: CSSStyleSheet[] = [];
  for (const style of [formBase, ...styles]) {
    if (done.has(style)) continue;
    done.add(style);
    const sheet = style.styleSheet;
    if (sheet) sheets.push(sheet);
  }
  if (sheets.length) document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...sheets];
}

/**
 * The shared look of every form, at zero specificity (`:where`) so that any page rule wins.
 * Logical properties keep right-to-left layouts right.
 */
export const formBase = css`
  :where(.auth-form) {
    display: grid;
    gap: var(--auth-gap, 0.875rem);
    font: var(--auth-font, inherit);
    color: var(--auth-color, inherit);
    max-inline-size: var(--auth-max-width, 24rem);
  }
  :where(.auth-form fieldset) {
    display: grid;
    gap: var(--auth-gap, 0.875rem);
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }
  :where(.auth-form [part~='field']) {
    display: grid;
    gap: 0.25rem;
  }
  :where(.auth-form [part~='label']) {
    font-weight: var(--auth-label-weight, 600);
    font-size: var(--auth-label-size, 0.9rem);
  }
  :where(.auth-form [part~='input']) {
    font: inherit;
    padding: var(--auth-input-padding, 0.6rem 0.75rem);
    border: 1px solid var(--auth-border-color, #8a8f98);
    border-radius: var(--auth-radius, 0.5rem);
    background: var(--auth-input-background, Canvas);
    color: var(--auth-input-color, CanvasText);
    min-inline-size: 0;
  }
  :where(.auth-form [part~='input'][aria-invalid='true']) {
    border-color: var(--auth-error-color, #c62828);
  }
  :where(.auth-form [part~='input']:focus-visible, .auth-form button:focus-visible) {
    outline: var(--auth-focus-ring, 3px solid #f0b400);
    outline-offset: 2px;
  }
  :where(.auth-form [part~='button']) {
    font: inherit;
    font-weight: 600;
    padding: var(--auth-button-padding, 0.65rem 1rem);
    border: 0;
    border-radius: var(--auth-radius, 0.5rem);
    background: var(--auth-primary, #2457d6);
    color: var(--auth-primary-contrast, #fff);
    cursor: pointer;
  }
  :where(.auth-form [part~='button'][part~='secondary']) {
    background: transparent;
    color: var(--auth-primary, #2457d6);
    border: 1px solid currentColor;
  }
  :where(.auth-form [part~='button']:disabled, .auth-form fieldset:disabled [part~='button']) {
    opacity: 0.6;
    cursor: progress;
  }
  :where(.auth-form [part~='link']) {
    font: inherit;
    justify-self: start;
    padding: 0;
    border: 0;
    background: none;
    color: var(--auth-link-color, var(--auth-primary, #2457d6));
    text-decoration: underline;
    cursor: pointer;
  }
  :where(.auth-form [part~='error']) {
    color: var(--auth-error-color, #c62828);
    margin: 0;
  }
  :where(.auth-form [part~='error']:empty, .auth-form [part~='message']:empty) {
    display: none;
  }
  :where(.auth-form [part~='message']) {
    color: var(--auth-muted-color, inherit);
    font-size: 0.9rem;
    margin: 0;
  }
  :where(.auth-form [part~='row']) {
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
    align-items: center;
  }
  :where(.auth-form [part~='captcha']) {
    max-inline-size: 12rem;
    block-size: auto;
    border: 1px solid var(--auth-border-color, #8a8f98);
    border-radius: var(--auth-radius, 0.5rem);
  }
  :where(.auth-form [part~='region']) {
    inline-size: 5.5rem;
  }
  :where(.auth-form [part~='phone'] > [part~='input']:last-child) {
    flex: 1;
  }
`;
