// README's "Use it with a script tag", as a person follows it: run `npm start` (its own command
// line from package.json, on free ports), paste the `<script>` and `<auth-config>` lines it prints
// into README's page, serve that page from a port no demo server uses, and sign in in Chromium:
// Zhuyun (direct to the reference server), Alibaba (through the relay) and OIDC (a redirect to
// the OpenID provider and back). Also: README lists exactly what `npm start` prints for the
// default ports, and `npm start` serves the API reference.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { elementDocs, readManifest } from '../../scripts/api-docs.js';
import { NOT_BUILT, startPageServer, type PageServer } from '../support/page-server.js';
import { codeBlocks, readmeSection } from '../support/readme.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// Bounds for what never comes on a loaded machine, not guesses at how fast it is.
const START_TIMEOUT = 90_000;
const SIGN_IN_TIMEOUT = 30_000;
const DEFAULT_PORTS = { demo: 5173, oidc: 5174, reference: 5175, relay: 5176 };

interface Printed {
  text: string;
  script: string;
  configs: string[];
  ports: Record<keyof typeof DEFAULT_PORTS, number>;
}

/** Starts `npm start`'s command with every port free and the data in memory; resolves with what it printed. */
function startNpmStart(): { child: ChildProcess; printed: Promise<Printed> } {
  const command = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).scripts.start as string;
  const [program, ...args] = command.split(' ');
  assert.equal(program, 'node', 'npm start runs node');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', OIDC_PORT: '0', REFERENCE_PORT: '0', RELAY_PORT: '0', DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const printed = new Promise<Printed>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no banner in ${START_TIMEOUT} ms:\n${text}`)), START_TIMEOUT);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}):\n${text}`)));
    child.stdout!.on('data', () => {
      if (!text.includes('Ctrl+C stops everything.')) return;
      clearTimeout(timer);
      const port = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
      resolve({
        text,
        script: /^\s+(<script src="[^"]+"><\/script>)/m.exec(text)![1]!,
        configs: [...text.matchAll(/^\s+(<auth-config [^\n]*>)$/gm)].map((m) => m[1]!),
        ports: {
          demo: port(/auth-elements demo\s+http:\/\/localhost:(\d+)\//),
          oidc: port(/OpenID provider \(oidc\)\s+http:\/\/127\.0\.0\.1:(\d+)/),
          reference: port(/Reference backends\s+http:\/\/127\.0\.0\.1:(\d+)\//),
          relay: port(/Relay\s+http:\/\/127\.0\.0\.1:(\d+)\//),
        },
      });
    });
  });
  return { child, printed };
}

describe('README: use it with a script tag', { skip: !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (node scripts/browsers.mjs --install)` : NOT_BUILT }, () => {
  let child: ChildProcess | undefined;
  let printed: Printed;
  let pages: PageServer;
  let browser: Browser;
  const section = readmeSection('Use it with a script tag');
  const [readmePage, readmeConfigs] = codeBlocks(section, 'html');
  const problems: string[] = [];

  before(async () => {
    const started = startNpmStart();
    child = started.child;
    [printed, pages, browser] = await Promise.all([started.printed, startPageServer(), chromium.launch({ executablePath: CHROMIUM, args: FLAGS })]);
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  /** `npm start`'s lines with its ports put back to the defaults, as README shows them. */
  const asDefault = (line: string) => {
    const byPort = new Map(Object.entries(printed.ports).map(([name, port]) => [port, DEFAULT_PORTS[name as keyof typeof DEFAULT_PORTS]]));
    return line.replace(/127\.0\.0\.1:(\d+)/g, (all, port: string) => (byPort.has(Number(port)) ? `127.0.0.1:${byPort.get(Number(port))}` : all));
  };

  test('README shows what npm start prints (for the default ports)', () => {
    assert.ok(readmePage && readmeConfigs, 'README has the page and the list of <auth-config> lines');
    assert.equal(printed.configs.length, 6, printed.text);
    assert.deepEqual(readmeConfigs!.trim().split('\n'), printed.configs.map(asDefault));
    assert.ok(readmePage!.includes(asDefault(printed.script)), 'the page loads the script npm start prints');
    const tag = /<auth-config [^\n]*>/.exec(readmePage!)![0];
    assert.ok(printed.configs.map(asDefault).includes(tag), 'the page uses one of the printed lines');
  });

  /** README's page, with the lines `npm start` printed for this run pasted in. */
  function pageFor(provider: string): string {
    const line = printed.configs.find((c) => c.startsWith(`<auth-config provider="${provider}"`));
    assert.ok(line, `npm start printed no <auth-config> for ${provider}`);
    return readmePage!.replace(/<script src="[^"]+"><\/script>/, printed.script).replace(/<auth-config [^\n]*>/, line!);
  }

  async function open(provider: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(`${provider} pageerror: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`${provider} console: ${message.text()}`));
    await page.goto(pages.page(`/${provider}.html`, pageFor(provider)));
    assert.notEqual(new URL(page.url()).port, String(printed.ports.demo), 'the page is not on the demo’s port');
    return page;
  }

  const signedIn = (page: Page) =>
    page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Signed in as '), null, { timeout: SIGN_IN_TIMEOUT });

  test('zhuyun-idaas: straight to the reference server', async () => {
    const page = await open('zhuyun-idaas');
    const form = page.locator('auth-password');
    await form.getByLabel('Phone').fill('13800000010');
    await form.getByLabel('Password', { exact: true }).fill('demo-password');
    await page.keyboard.press('Enter');
    await signedIn(page);
    await page.close();
  });

  test('alibaba-idaas: through the relay', async () => {
    const page = await open('alibaba-idaas');
    const form = page.locator('auth-password');
    await form.getByRole('textbox', { name: 'Username' }).fill('demo');
    await form.getByLabel('Password', { exact: true }).fill('demo-password');
    await page.keyboard.press('Enter');
    await signedIn(page);
    await page.close();
  });

  test('oidc: to the OpenID provider and back to this page (a loopback redirect URI nobody registered)', async () => {
    const page = await open('oidc');
    const here = page.url();
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click();
    await page.getByLabel('Username').fill('demo');
    await page.getByLabel('Password').fill('demo-password');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.href.startsWith(here));
    await signedIn(page);
    await page.close();
  });

  test('npm start serves the API reference, with every element', async () => {
    const res = await fetch(`http://127.0.0.1:${printed.ports.demo}/api.html`);
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const { tag } of elementDocs(readManifest())) assert.ok(html.includes(`<section id="${tag}">`), tag);
  });

  test('no page errors on the way', () => {
    // A 4xx answer is logged by the browser itself ("Failed to load resource"): expected here.
    assert.deepEqual(problems.filter((p) => !/favicon|Failed to load resource/.test(p)), []);
  });
});
