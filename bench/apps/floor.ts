// The floor: a bare Lit element with one input, built like the apps beside it. Every other
// figure of the benchmark is read against this one.
import { LitElement, html } from 'lit';

class BenchFloor extends LitElement {
  static override properties = { value: {} };
  declare value: string;

  constructor() {
    super();
    this.value = '';
  }

  protected override render() {
    return html`<label>Name <input name="name" .value=${this.value} @input=${(event: Event) => (this.value = (event.target as HTMLInputElement).value)} /></label>`;
  }
}

if (!customElements.get('bench-floor')) customElements.define('bench-floor', BenchFloor);
