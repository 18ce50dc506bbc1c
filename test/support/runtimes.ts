// Runs a server module in the runtimes sites deploy the relay to: workerd (Cloudflare Workers'
// runtime, through miniflare), Deno and Bun, each from its npm package. Every server binds
// 127.0.0.1 on a free port and is stopped by the test that started it. The module is used as
// written; only how it listens is set here (a free loopback port instead of the runtime's default),
// the way each runtime's own launcher would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface RunningRuntime {
  /** e.g. `http://127.0.0.1:40123` (no trailing slash). */
  url: string;
  /** What the runtime reports about itself, e.g. `Deno 2.9.6`. */
  version: string;
  close(): Promise<void>;
}

export interface Runtime {
  name: string;
  /** Why it cannot run here, or false. */
  unavailable: string | false;
  /** Serves `source` (a server module in this runtime's style) with `env` as its environment. */
  start(source: string, env: Record<string, string>): Promise<RunningRuntime>;
}

/** The first candidate binary that answers `--version`, with that answer; or why none did. */
function findBinary(candidates: Array<() => string>): { path: string; version: string } | string {
  const tried: string[] = [];
  for (const candidate of candidates) {
    let path: string;
    try {
      path = candidate();
    } catch (error) {
      tried.push((error as Error).message.split('\n')[0]!);
      continue;
    }
    if (!existsSync(path)) {
      tried.push(`${path} is missing`);
      continue;
    }
    const run = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (run.status === 0) return { path, version: run.stdout.trim().split('\n')[0]! };
    tried.push(`${path} --version failed: ${(run.stderr || run.error?.message || '').trim().split('\n')[0]}`);
  }
  return tried.join('; ');
}

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const arch = process.arch === 'arm64' ? 'arm64' : 'x64';

/** Waits for the first stdout line `{"port":N}`; rejects with everything printed if the process ends first. */
function listening(child: ChildProcess, what: string, timeoutMs = 60_000): Promise<number> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not listen within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /\{"port":(\d+)\}/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before listening:\n${output}`));
    });
  });
}

/** Starts `args` of `binary` in a scratch directory holding `files`; resolves once it printed its port. */
async function runProcess(what: string, binary: string, version: string, files: Record<string, string>, args: string[], env: Record<string, string>): Promise<RunningRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-relay-runtime-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  // Only what the runtime needs: no inherited secrets, no proxy settings.
  const child = spawn(binary, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await listening(child, what);
    return { url: `http://127.0.0.1:${port}`, version, close: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const deno = findBinary([
  () => join(packageDir(`@deno/${process.platform}-${arch}-glibc`), 'deno'),
  () => join(packageDir('deno'), 'deno'), // where its postinstall links the binary
]);

const bun = findBinary([
  () => join(packageDir(`@oven/bun-${process.platform}-${arch === 'arm64' ? 'aarch64' : 'x64'}`), 'bin', 'bun'),
  () => join(packageDir('bun'), 'bin', 'bun.exe'), // where its postinstall moves the binary
]);

/** The workerd package: the path of its binary (the optional dependency's) and its version. */
let workerdPackage: { default: string; version: string } | undefined;
let workerd: string | false;
try {
  workerdPackage = require('workerd') as { default: string; version: string };
  workerd = existsSync(workerdPackage.default) ? false : `the workerd binary is missing (${workerdPackage.default})`;
} catch (error) {
  workerd = `workerd cannot load: ${(error as Error).message.split('\n')[0]}`;
}

export const RUNTIMES: Record<'workerd' | 'deno' | 'bun', Runtime> = {
  workerd: {
    name: 'Cloudflare Workers (workerd, through miniflare)',
    unavailable: workerd,
    async start(source, env) {
      const { Miniflare } = await import('miniflare');
      const dir = mkdtempSync(join(tmpdir(), 'auth-relay-worker-'));
      const script = join(dir, 'worker.mjs');
      writeFileSync(script, source);
      const mf = new Miniflare({
        modules: true,
        scriptPath: script,
        // The module imports dist/ by absolute path; its .js files are ES modules.
        modulesRoot: '/',
        modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }],
        bindings: env,
        compatibilityDate: '2025-09-01',
        host: '127.0.0.1',
        port: 0,
      });
      try {
        const url = await mf.ready;
        return {
          url: url.origin,
          version: `workerd ${workerdPackage!.version}`,
          close: async () => {
            await mf.dispose();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        await mf.dispose().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    },
  },
  deno: {
    name: 'Deno',
    unavailable: typeof deno === 'string' ? `no Deno binary runs here: ${deno}` : false,
    start(source, env) {
      const binary = deno as { path: string; version: string };
      // `Deno.serve(handler)` listens on 0.0.0.0:8000 by default: here, on a free loopback port.
      const harness = `const serve = Deno.serve;
Deno.serve = (handler) => serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(JSON.stringify({ port })) }, handler);
await import('./server.js');
`;
      return runProcess('deno', binary.path, binary.version, { 'harness.js': harness, 'server.js': source }, [
        'run',
        '--no-prompt',
        '--allow-net=127.0.0.1',
        `--allow-env=${Object.keys(env).join(',')}`,
        'harness.js',
      ], { ...env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(tmpdir(), 'auth-elements-deno') });
    },
  },
  bun: {
    name: 'Bun',
    unavailable: typeof bun === 'string' ? `no Bun binary runs here: ${bun}` : false,
    start(source, env) {
      const binary = bun as { path: string; version: string };
      // What `bun server.js` does with a default export, on a free loopback port.
      const harness = `const server = Bun.serve({ ...(await import('./server.js')).default, hostname: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ port: server.port }));
`;
      return runProcess('bun', binary.path, `Bun ${binary.version}`, { 'harness.js': harness, 'server.js': source }, ['harness.js'], env);
    },
  },
};
