import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Seconds until another code may be asked for, ticking once a second while the host is on the page. */
export class CountdownController implements ReactiveController {
  #left = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get seconds(): number {
    return this.#left;
  }

  start(seconds: number): void {
    this.stop();
    this.#left = Math.max(0, Math.ceil(seconds));
    if (this.#left) this.#timer = setInterval(() => this.#tick(), 1000);
    this.host.requestUpdate();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#left) {
      this.#left = 0;
      this.host.requestUpdate();
    }
  }

  hostDisconnected(): void {
    this.stop();
  }

  #tick(): void {
    this.#left = Math.max(0, this.#left - 1);
    if (!this.#left) this.stop();
    this.host.requestUpdate();
  }
}
