#!/usr/bin/env node
// The Debian packages the tests need, in one place: the browser engines, and redis-server for the
// relay's shared-store tests. Which are present, and how to install the missing ones.
//
//   node scripts/browsers.mjs --check    list what is present; exit 0 if Chromium is (the
//                                        minimum), else 1 and print the install command
//   node scripts/browsers.mjs --install  install what is missing through apt-get (as root),
//                                        or print the sudo command and exit 1
//
// web-test-runner.config.mjs imports detectBrowsers() to pick the engines it can run; .ci/run and
// `npm test` run --install; test/relay/redis.ts finds redis-server the same way.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const APT_PACKAGES = ['chromium', 'firefox-esr', 'webkit2gtk-driver', 'xvfb', 'xauth', 'redis-server'];
export const APT_INSTALL = `apt-get install -y ${APT_PACKAGES.join(' ')}`;
export const INSTALL_COMMAND =
  typeof process.getuid === 'function' && process.getuid() === 0 ? APT_INSTALL : `sudo ${APT_INSTALL}`;

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable `name` on PATH, then in the extra directories; else null. */
function which(name, extraDirs = []) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const file = join(dir, name);
    if (isExecutable(file)) return file;
  }
  return null;
}

/**
 * What is installed. Each tool is `{ path, package }` with path null when missing; each engine
 * lists the tools it needs and whether all are there.
 */
export function detectBrowsers() {
  const found = (label, where, path, pkg) => ({
    label,
    where,
    path: path && isExecutable(path) ? path : null,
    package: pkg,
  });
  const tools = {
    chromium: found('Chromium', '/usr/bin/chromium', '/usr/bin/chromium', 'chromium'),
    firefox: found('Firefox ESR', '/usr/bin/firefox-esr', '/usr/bin/firefox-esr', 'firefox-esr'),
    webkitDriver: found('WebKitWebDriver', 'PATH or /usr/bin', which('WebKitWebDriver', ['/usr/bin']), 'webkit2gtk-driver'),
    // MiniBrowser ships in libwebkit2gtk-4.1-0, which webkit2gtk-driver depends on.
    miniBrowser: found('MiniBrowser', MINIBROWSER, MINIBROWSER, 'webkit2gtk-driver'),
    xvfb: found('Xvfb', 'PATH or /usr/bin', which('Xvfb', ['/usr/bin']), 'xvfb'),
    xauth: found('xauth', 'PATH or /usr/bin', which('xauth', ['/usr/bin']), 'xauth'),
    // Not a browser: the relay's Redis store tests start one (src/relay/redis-store.node.test.ts).
    redis: found('redis-server', 'PATH or /usr/bin', which('redis-server', ['/usr/bin']), 'redis-server'),
  };
  const engine = (needs) => {
    const missing = needs.filter((name) => !tools[name].path);
    return { ok: missing.length === 0, needs, missing };
  };
  return {
    tools,
    engines: {
      chromium: engine(['chromium']),
      firefox: engine(['firefox']),
      // We spawn Xvfb directly; xauth is only needed by xvfb-run, so it is not required here.
      webkit: engine(['webkitDriver', 'miniBrowser', 'xvfb']),
    },
  };
}

export function missingTools(detected = detectBrowsers()) {
  return Object.entries(detected.tools).filter(([, tool]) => !tool.path);
}

function printReport(detected) {
  for (const tool of Object.values(detected.tools)) {
    const state = tool.path ? `ok       ${tool.path}` : `MISSING  ${tool.where} (apt package ${tool.package})`;
    console.log(`  ${tool.label.padEnd(16)} ${state}`);
  }
  const engines = Object.entries(detected.engines)
    .map(([name, engine]) => `${name} ${engine.ok ? 'yes' : 'no'}`)
    .join(', ');
  console.log(`  engines: ${engines}`);
}

function aptGet(args) {
  console.log(`$ apt-get ${args.join(' ')}`);
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) console.error(`apt-get could not run: ${result.error.message}`);
  return result.status === 0;
}

function install() {
  let detected = detectBrowsers();
  const missing = missingTools(detected);
  if (missing.length === 0) {
    console.log('system packages: Chromium, Firefox ESR, WebKitGTK (MiniBrowser + Xvfb) and redis-server all present.');
    return 0;
  }
  console.log('system packages: something is missing:');
  printReport(detected);
  const packages = [...new Set(missing.map(([, tool]) => tool.package))];
  const command = `apt-get install -y ${packages.join(' ')}`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    console.error(`\nNot root, so not installing. Run:\n\n  sudo ${command}\n`);
    return 1;
  }
  // A fresh machine may have no package lists yet: try, then update and try again.
  const installArgs = ['install', '-y', ...packages];
  if (!aptGet(installArgs)) {
    if (!aptGet(['update']) || !aptGet(installArgs)) {
      console.error(`\napt-get failed. Install by hand:\n\n  ${command}\n`);
      return 1;
    }
  }
  detected = detectBrowsers();
  const still = missingTools(detected);
  printReport(detected);
  if (still.length > 0) {
    console.error(`\nStill missing after apt-get: ${still.map(([, tool]) => tool.label).join(', ')}`);
    return 1;
  }
  return 0;
}

function check() {
  const detected = detectBrowsers();
  console.log('browsers:');
  printReport(detected);
  if (missingTools(detected).length > 0) {
    console.log(`\nTo install what is missing:\n\n  ${INSTALL_COMMAND}\n`);
  }
  if (!detected.engines.chromium.ok) {
    console.error('Chromium is required (the minimum for browser tests).');
    return 1;
  }
  return 0;
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const mode = process.argv[2];
  if (mode === '--install') process.exit(install());
  else if (mode === '--check') process.exit(check());
  else {
    console.error('usage: node scripts/browsers.mjs --check | --install');
    process.exit(2);
  }
}
