/**
 * Registers a tag unless it is taken: two copies of auth-elements on one page (a script tag and
 * an app bundle) must not throw "name has already been used".
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (typeof customElements !== 'undefined' && !customElements.get(tag)) customElements.define(tag, element);
}
