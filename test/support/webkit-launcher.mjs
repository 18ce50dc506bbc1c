// WebKitGTK for @web/test-runner: webdriverLauncher (WebDriver classic) against a
// WebKitWebDriver that we spawn, which opens MiniBrowser on an Xvfb display we also spawn
// (MiniBrowser has no headless mode). Both are started lazily — only when a group that uses
// WebKit actually runs — and stopped with the launcher; an exit hook catches the rest.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { webdriverLauncher } from '@web/test-runner-webdriver';

export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

// A failure bound for a loaded machine (as the runner's browserStartTimeout), not a speed guess.
const STARTUP_TIMEOUT_MS = 60_000;
/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

function killAll() {
  for (const child of children) killGroup(child, 'SIGKILL');
}
// Last resort (crash, testsFinishTimeout, Ctrl-C): kill our process groups synchronously.
process.once('exit', killAll);
// Node's default for these signals exits without 'exit' handlers, which would orphan Xvfb and
// WebKitWebDriver. Clean up, then exit ourselves unless another handler (Playwright's,
// puppeteer's) is there to close its browsers and exit.
for (const signal of ['SIGTERM', 'SIGHUP']) {
  process.on(signal, function onSignal() {
    killAll();
    if (process.listenerCount(signal) === 1) process.exit(128 + (signal === 'SIGTERM' ? 15 : 1));
  });
}

function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Spawned detached, so the child leads its own process group: this also reaches the
    // MiniBrowser/WebKit*Process children that WebKitWebDriver started.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function stopChild(child) {
  if (!children.has(child)) return Promise.resolve();
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      resolve();
    }, 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      // Anything else left in the group (e.g. a WebKitWebProcess) goes too.
      killGroup(child, 'SIGKILL');
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** Keeps the last few KB of a child's output, to show if start-up fails. */
function tail(stream, limit = 4_000) {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk) => {
    text = (text + chunk).slice(-limit);
  });
  return () => text.trim();
}

function startProcess(command, args, options = {}) {
  const child = spawn(command, args, { detached: true, ...options });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Starts Xvfb on a display it picks itself (-displayfd) and resolves with ":N". */
async function startXvfb() {
  const child = startProcess(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const stderr = tail(child.stderr);
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('Xvfb did not report a display in time')), STARTUP_TIMEOUT_MS);
    function fail(error) {
      clearTimeout(timer);
      reject(new Error(`${error.message}\n${stderr()}`));
    }
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`Xvfb exited (${code ?? signal})`)));
    child.stdio[3].setEncoding('utf8');
    child.stdio[3].on('data', (chunk) => {
      out += chunk;
      const match = /^(\d+)\n/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.on('exit', () => children.delete(child));
        resolve(`:${match[1]}`);
      }
    });
  });
  child.stdio[3].destroy();
  return { child, display };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForDriver(child, port, output) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`WebKitWebDriver exited (${child.exitCode ?? child.signalCode})\n${output()}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not answer on port ${port} in time\n${output()}`);
}

/** Xvfb + WebKitWebDriver; resolves with the driver's port and a stop(). */
export async function startWebKitDriver({ driver = 'WebKitWebDriver' } = {}) {
  const xvfb = await startXvfb();
  try {
    const port = await freePort();
    const child = startProcess(driver, [`--port=${port}`, '--host=local'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DISPLAY: xvfb.display },
    });
    const output = tail(child.stdout);
    const errors = tail(child.stderr);
    child.once('error', () => {});
    await waitForDriver(child, port, () => `${output()}\n${errors()}`.trim());
    return {
      port,
      display: xvfb.display,
      async stop() {
        await stopChild(child);
        await stopChild(xvfb.child);
      },
    };
  } catch (error) {
    await stopChild(xvfb.child);
    throw error;
  }
}

/**
 * A webdriverLauncher for MiniBrowser. Its WebKitWebDriver and Xvfb start in initialize(),
 * which @web/test-runner only calls for browsers of groups that run.
 */
export function webkitLauncher({ driver = 'WebKitWebDriver', binary = MINIBROWSER } = {}) {
  const launcher = webdriverLauncher({
    hostname: '127.0.0.1',
    port: 0, // replaced once the driver is up
    path: '/',
    logLevel: 'error',
    connectionRetryCount: 1,
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary, args: ['--automation'] },
      'wdio:enforceWebDriverClassic': true,
    },
  });
  let environment;
  const initialize = launcher.initialize.bind(launcher);
  const stop = launcher.stop.bind(launcher);
  // One test file at a time in the top-level window (the launcher's SessionManager), as in the
  // other engines. With the runner's concurrency > 1 it would instead load files into iframes,
  // where focus, keyboard and WebAuthn-style APIs behave differently.
  launcher.concurrency = 1;
  launcher.initialize = async (config, ...rest) => {
    environment = await startWebKitDriver({ driver });
    launcher.options.port = environment.port;
    await initialize({ ...config, concurrency: 1 }, ...rest);
    launcher.name = 'WebKit';
  };
  launcher.stop = async () => {
    try {
      await stop();
    } finally {
      await environment?.stop();
      environment = undefined;
    }
  };
  return launcher;
}
