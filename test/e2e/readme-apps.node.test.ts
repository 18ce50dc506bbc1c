// README's "Use it with React" and "Use it with Vue", as a person follows them: every code block
// marked `<!-- tested: <app> <file> -->` is written into a fresh Vite app (the files
// `npm create vite` makes for the react-ts and vue-ts templates around it) that depends on the
// built package (node_modules/auth-elements → this repository: package.json "exports" → dist/),
// type-checked as the template's `npm run build` does (tsc; vue-tsc), built with Vite, served
// from a free port of 127.0.0.1, and signed in with against the reference server in Chromium.
// README's reference-server address (http://127.0.0.1:5175, `npm start`'s default) is replaced
// by the one this test started.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { startReferenceServer, type ReferenceServer } from '../../demo/server/server.js';
import { NO_CHROMIUM, SIGN_IN_TIMEOUT } from '../support/demo-browser.js';
import { startServer } from '../support/http-server.js';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const README_REFERENCE = 'http://127.0.0.1:5175';
// A bound for a type check that hangs on a loaded machine, not a guess at its speed.
const CHECK_TIMEOUT = 180_000;
const NOT_BUILT = existsSync(resolve(ROOT, 'dist/react.js')) && existsSync(resolve(ROOT, 'dist/types/vue/index.d.ts')) ? false : 'dist/ is not built (npm run build; npm test builds first)';

/** README's marked blocks: app → file → code. */
function readmeApps(): Map<string, Map<string, string>> {
  const text = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const apps = new Map<string, Map<string, string>>();
  for (const [, app, file, code] of text.matchAll(/^<!-- tested: (\S+) (\S+) -->\n```\w*\n([\s\S]*?)^```$/gm)) {
    const files = apps.get(app!) ?? new Map<string, string>();
    assert.ok(!files.has(file!), `README marks ${file} of ${app} twice`);
    apps.set(app!, files.set(file!, code!));
  }
  return apps;
}

const packageJson = (template: string) => JSON.stringify({ name: `${template}-app`, private: true, type: 'module' });

/** What `npm create vite@latest -- --template react-ts | vue-ts` puts around README's files. */
const TEMPLATES = {
  react: {
    'package.json': packageJson('react'),
    'index.html': '<!doctype html>\n<html lang="en">\n  <head><meta charset="UTF-8" /><title>app</title></head>\n  <body>\n    <div id="root"></div>\n    <script type="module" src="/src/main.tsx"></script>\n  </body>\n</html>\n',
    'src/main.tsx': "import { StrictMode } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport App from './App.tsx';\n\ncreateRoot(document.getElementById('root')!).render(\n  <StrictMode>\n    <App />\n  </StrictMode>,\n);\n",
    // The template's plugin-react does this JSX transform; Vite's own does it as tsconfig says.
    'vite.config.ts': "import { defineConfig } from 'vite';\n\nexport default defineConfig({});\n",
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM', 'DOM.Iterable'], module: 'ESNext', moduleResolution: 'bundler', allowImportingTsExtensions: true, verbatimModuleSyntax: true, noEmit: true, jsx: 'react-jsx', strict: true, types: [], skipLibCheck: true },
      include: ['src'],
    }),
  },
  vue: {
    'package.json': packageJson('vue'),
    'index.html': '<!doctype html>\n<html lang="en">\n  <head><meta charset="UTF-8" /><title>app</title></head>\n  <body>\n    <div id="app"></div>\n    <script type="module" src="/src/main.ts"></script>\n  </body>\n</html>\n',
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM', 'DOM.Iterable'], module: 'ESNext', moduleResolution: 'bundler', allowImportingTsExtensions: true, verbatimModuleSyntax: true, noEmit: true, strict: true, types: [], skipLibCheck: true },
      include: ['src/**/*.ts', 'src/**/*.vue'],
    }),
  },
} as const;

/** The apps README must have, their template, and the files README must give. */
const APPS = [
  { name: 'react-app', template: 'react', files: ['src/App.tsx'] },
  { name: 'react-tags', template: 'react', files: ['src/App.tsx'] },
  { name: 'vue-app', template: 'vue', files: ['vite.config.ts', 'src/main.ts', 'src/App.vue'] },
] as const;

/** Packages the fresh app installs (`npm install auth-elements` plus the template's own). */
const INSTALLED = { react: ['react', 'react-dom', '@types/react', '@types/react-dom', 'vite'], vue: ['vue', 'vite', '@vitejs/plugin-vue'] } as const;

function typeCheck(dir: string, template: 'react' | 'vue'): Promise<string | null> {
  const checker = template === 'react' ? require.resolve('typescript/bin/tsc') : require.resolve('vue-tsc/bin/vue-tsc.js');
  return new Promise((done) => {
    execFile(process.execPath, [checker, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, timeout: CHECK_TIMEOUT }, (error, stdout, stderr) =>
      done(error ? `${stdout}${stderr}` || String(error) : null),
    );
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

describe("README's React and Vue apps, built from the package and signed in", { skip: NO_CHROMIUM || NOT_BUILT }, () => {
  let scratch = '';
  let reference: ReferenceServer | undefined;
  let browser: Browser | undefined;
  const servers: { close(): Promise<void> }[] = [];

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'auth-elements-readme-'));
    reference = await startReferenceServer({ host: '127.0.0.1', port: 0, dataDir: null, allowedOrigins: [], loopbackOrigins: true, log: () => {} });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close()));
    await reference?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('README marks the files of each app', () => {
    const apps = readmeApps();
    for (const app of APPS) assert.deepEqual([...(apps.get(app.name)?.keys() ?? [])].sort(), [...app.files].sort(), `README's ${app.name} blocks`);
    assert.deepEqual([...apps.keys()].sort(), APPS.map((a) => a.name).sort(), 'README marks an app this test does not know');
  });

  for (const app of APPS) {
    test(`${app.name}: type-checks, builds with Vite, signs in`, async () => {
      const blocks = readmeApps().get(app.name);
      assert.ok(blocks, `README has no blocks marked ${app.name}`);
      const dir = join(scratch, app.name);
      const files = new Map<string, string>(Object.entries(TEMPLATES[app.template]));
      for (const [file, code] of blocks) {
        assert.ok(code.includes(README_REFERENCE) || file !== 'src/App.tsx' && file !== 'src/App.vue', `${app.name} ${file} uses ${README_REFERENCE}`);
        files.set(file, code.replaceAll(README_REFERENCE, reference!.url));
      }
      for (const [file, code] of files) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), code);
      }
      for (const scope of ['@types', '@vitejs']) mkdirSync(join(dir, 'node_modules', scope), { recursive: true });
      symlinkSync(ROOT, join(dir, 'node_modules/auth-elements'), 'dir');
      for (const name of INSTALLED[app.template]) symlinkSync(resolve(ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir');

      // The template's `npm run build`: the type check, then Vite (here side by side).
      const [problems] = await Promise.all([
        typeCheck(dir, app.template),
        build({ root: dir, configFile: join(dir, 'vite.config.ts'), logLevel: 'warn', build: { outDir: 'dist' } }),
      ]);
      assert.equal(problems, null, `${app.name} does not type-check:\n${problems}`);

      const out = join(dir, 'dist');
      const server = await startServer((req, res) => {
        const path = normalize((req.url ?? '/').split('?')[0]!.replace(/\/$/, '/index.html'));
        const file = join(out, path);
        if (!file.startsWith(out) || !existsSync(file)) return res.writeHead(404).end();
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      });
      servers.push(server);

      const page = await browser!.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      // A failed request is reported below with its address (the browser's own line has none).
      page.on('console', (message) => message.type() === 'error' && !/Failed to load resource/.test(message.text()) && errors.push(`console: ${message.text()}`));
      page.on('response', (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') && errors.push(`${response.status()} ${response.url()}`));
      await page.goto(`${server.url}/`);
      await page.locator('#who').getByText('Signed out').waitFor();
      const card = page.locator('auth-login');
      await card.getByLabel('Phone').fill('13800000010');
      await card.getByLabel('Password', { exact: true }).fill('demo-password');
      await page.keyboard.press('Enter');
      await page.locator('#who').getByText(/^Signed in as \S+/).waitFor({ timeout: SIGN_IN_TIMEOUT });
      await page.close();
      assert.deepEqual(errors, []);
    });
  }
});
