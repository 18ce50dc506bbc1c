// @web/test-runner config: the same browser tests in Chromium, Firefox ESR and WebKitGTK, plus
// the Chromium-only passkey tests. How each engine is driven: /work/shared/TOOLCHAIN.md.
//
//   AUTH_BROWSERS=chromium,firefox,webkit   engines to run (default: every installed one);
//                                           the "passkeys" group runs whenever chromium does
//   CI=true                                 a selected engine that is missing is an error
//   AUTH_WTR_SUMMARY=file.json              also write pass/fail counts there (scripts/test.mjs)
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { detectBrowsers, INSTALL_COMMAND } from './scripts/browsers.mjs';
import { webkitLauncher } from './test/support/webkit-launcher.mjs';
import {
  cdnMiddleware,
  serverCommandsPlugin,
  summaryReporter,
  webauthnPlugin,
} from './test/support/wtr-plugins.mjs';

const BROWSER_TESTS = [
  'src/**/*.test.ts',
  'test/**/*.test.ts',
  '!**/*.node.test.ts',
  '!**/*.passkey.test.ts',
];
const PASSKEY_TESTS = ['src/**/*.passkey.test.ts', 'test/**/*.passkey.test.ts'];

const ENGINES = ['chromium', 'firefox', 'webkit'];
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';

function selectedEngines() {
  const raw = process.env.AUTH_BROWSERS?.trim();
  if (!raw) return { engines: ENGINES, explicit: false };
  const engines = [...new Set(raw.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))];
  const unknown = engines.filter((name) => !ENGINES.includes(name));
  if (unknown.length > 0) {
    throw new Error(`AUTH_BROWSERS: unknown engine(s) ${unknown.join(', ')}; use ${ENGINES.join(', ')}`);
  }
  return { engines, explicit: true };
}

function loudWarning(lines) {
  const bar = '!'.repeat(78);
  console.warn(['', bar, ...lines.map((line) => `!!  ${line}`), bar, ''].join('\n'));
}

const detected = detectBrowsers();
const { engines: wanted } = selectedEngines();
const missing = wanted.filter((name) => !detected.engines[name].ok);
if (missing.length > 0) {
  const lines = [
    inCI ? 'BROWSER ENGINES MISSING (CI: this is a failure)' : 'BROWSER ENGINES MISSING: THEIR TESTS WILL NOT RUN',
    '',
    ...missing.map((name) => {
      const tools = detected.engines[name].missing.map((key) => {
        const tool = detected.tools[key];
        return `${tool.label} (${tool.where}; apt package ${tool.package})`;
      });
      return `${name}: missing ${tools.join(', ')}`;
    }),
    '',
    'Install them with:',
    `    ${INSTALL_COMMAND}`,
    '(or: node scripts/browsers.mjs --install)',
  ];
  loudWarning(lines);
  if (inCI) throw new Error(`Browser engine(s) missing in CI: ${missing.join(', ')}`);
}
const engines = wanted.filter((name) => detected.engines[name].ok);
if (engines.length === 0) {
  throw new Error(`No browser engine to run (wanted ${wanted.join(', ')}). Install with: ${INSTALL_COMMAND}`);
}

const chromium = () =>
  playwrightLauncher({
    product: 'chromium',
    launchOptions: {
      executablePath: detected.tools.chromium.path,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  });

// puppeteer-core 24.4x sends WebDriver BiDi `emulation.setScreenOrientationOverride` inside
// page.setViewport(), which @web/test-runner-chrome calls before every test file; Firefox ESR
// 140 answers "unknown command" and every file would fail. The viewport half of that call is
// sent alongside and does succeed, so only that one error is swallowed.
async function firefoxPage({ context }) {
  const page = await context.newPage();
  const setViewport = page.setViewport.bind(page);
  page.setViewport = async (viewport) => {
    try {
      await setViewport(viewport);
    } catch (error) {
      if (!/unknown command emulation\.setScreenOrientationOverride/.test(String(error?.message))) throw error;
    }
  };
  return page;
}

function firefox() {
  const launcher = chromeLauncher({
    launchOptions: { browser: 'firefox', executablePath: detected.tools.firefox.path, headless: true },
    createPage: firefoxPage,
    // Pages are tabs of one window: a background tab gets no requestAnimationFrame, so
    // fixture()/updateComplete waits hang. One test file at a time keeps its tab in front.
    concurrency: 1,
  });
  launcher.name = 'Firefox'; // chromeLauncher would report it as "Chrome"
  return launcher;
}

const webkit = () => webkitLauncher({ driver: detected.tools.webkitDriver.path });

const launchers = { chromium, firefox, webkit };
const groups = engines.map((name) => ({ name, files: BROWSER_TESTS, browsers: [launchers[name]()] }));
if (engines.includes('chromium')) {
  // Own Chromium instance; each test file still gets a fresh page and browser context, so
  // virtual authenticators never outlive their file.
  const passkeyChromium = chromium();
  passkeyChromium.name = 'Chromium (passkeys)';
  groups.push({ name: 'passkeys', files: PASSKEY_TESTS, browsers: [passkeyChromium] });
}

const reporters = [defaultReporter()];
if (process.env.AUTH_WTR_SUMMARY) reporters.push(summaryReporter({ file: process.env.AUTH_WTR_SUMMARY }));

export default {
  rootDir: '.',
  // WebAuthn needs a secure context and rp id "localhost": serve from http://localhost:PORT.
  hostname: 'localhost',
  nodeResolve: true,
  groups,
  // 2 cores: two engines at once was ~15% faster than one at a time and stable over repeated
  // runs. Firefox and WebKit each take one test file at a time anyway (see their launchers).
  concurrentBrowsers: 2,
  concurrency: 2,
  // Failure bounds, not speed guesses: CI runs three engines on 2 loaded cores. Tests wait for
  // conditions (until(), 30 s bound) within mocha's per-test timeout, within the per-file one.
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 60_000 } },
  // Lit prints this banner once per page; it says nothing about the test.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  // The script tag from a CDN-like directory, and with its chunks offline (lazy-chunks.test.ts).
  middleware: [cdnMiddleware()],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json' }),
    webauthnPlugin(),
    serverCommandsPlugin(),
  ],
  reporters,
};
