// A Chromium of the benchmark's own, driven over its DevTools pipe (`--remote-debugging-pipe`:
// JSON messages ended by a NUL, commands on fd 3, answers and events on fd 4) with only the
// commands the page timings need. No DevTools domain that watches the network is enabled, so a
// page runs as it does for a person. Playwright enables the Network domain on every page, and
// Chromium then records where each request came from with a full stack trace, re-parsing every
// function on it: under Playwright the script tag's first chunk request cost 6-7 ms (the whole
// script is on that stack), without it 0.5 ms; a page that starts no request paid nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  method: string;
}

export class PipeBrowser {
  readonly #child: ChildProcess;
  readonly #profile: string;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  #buffer = '';

  private constructor(child: ChildProcess, profile: string) {
    this.#child = child;
    this.#profile = profile;
    const answers = child.stdio[4] as Readable;
    answers.setEncoding('utf8');
    answers.on('data', (data: string) => this.#receive(data));
    const fail = (why: string) => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`Chromium ${why} during ${pending.method}`));
      this.#pending.clear();
    };
    child.on('exit', () => fail('exited'));
    // Not started at all (no such executable): the first command fails with why, not the process.
    child.on('error', (error) => fail(`could not start (${error.message})`));
    (child.stdio[3] as Writable).on('error', (error) => fail(`closed its pipe (${error.message})`));
  }

  /** Chromium at `executable`, headless, with a profile of its own (removed on close). */
  static async launch(executable: string, args: string[]): Promise<PipeBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'auth-elements-bench-profile-'));
    const child = spawn(executable, [...args, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    const browser = new PipeBrowser(child, profile);
    await browser.send('Browser.getVersion').catch((error: unknown) => {
      rmSync(profile, { recursive: true, force: true });
      throw error;
    });
    return browser;
  }

  /** One command; `sessionId`: to an attached page. */
  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    const id = this.#next++;
    const done = new Promise<T>((resolve, reject) => this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method }));
    (this.#child.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return done;
  }

  async close(): Promise<void> {
    const exited = new Promise((done) => this.#child.once('exit', done));
    await this.send('Browser.close').catch(() => {});
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5_000))]);
    this.#child.kill();
    rmSync(this.#profile, { recursive: true, force: true });
  }

  #receive(data: string): void {
    this.#buffer += data;
    let end: number;
    while ((end = this.#buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.#buffer.slice(0, end)) as { id?: number; result?: unknown; error?: { message: string } };
      this.#buffer = this.#buffer.slice(end + 1);
      const pending = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!pending) continue; // an event: nothing here listens to any
      this.#pending.delete(message.id!);
      if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
      else pending.resolve(message.result);
    }
  }
}
