import type { CSSResult } from 'lit';

const adopted = new WeakMap<Document, Set<CSSResult>>();

/**
 * Adopts stylesheets into a document once each: an element's views when they arrive
 * (AuthFormElement), a part's own when it is first drawn (views/later.ts). Constructed
 * stylesheets need no `<style>` tag and no `'unsafe-inline'`, so a strict Content Security
 * Policy stays intact.
 */
export function adoptDocumentStyles(document: Document, styles: readonly CSSResult[]): void {
  let done = adopted.get(document);
  if (!done) adopted.set(document, (done = new Set()));
  const sheets: CSSStyleSheet[] = [];
  for (const style of styles) {
    if (done.has(style)) continue;
    done.add(style);
    const sheet = style.styleSheet;
    if (sheet) sheets.push(sheet);
  }
  if (sheets.length) document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...sheets];
}
