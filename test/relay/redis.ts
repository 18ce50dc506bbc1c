// A throwaway redis-server per test file: 127.0.0.1, a free port, no persistence, stopped by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

const INSTALL = 'apt-get install -y redis-server';
/** What to run to get redis-server on this machine (root runs apt-get itself). */
export const REDIS_INSTALL_COMMAND = typeof process.getuid === 'function' && process.getuid() === 0 ? INSTALL : `sudo ${INSTALL}`;
const START_DEADLINE_MS = 10_000;

/** Path of redis-server on PATH or in /usr/bin, or undefined. */
export function findRedisServer(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/sbin']) {
    const file = join(dir, 'redis-server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RedisServer {
  port: number;
  pid: number;
  /** Stops it (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. */
  stop(): Promise<void>;
}

/** A port nobody is listening on right now (it may be taken before we use it: callers retry). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts redis-server on a free port, retrying on a port collision; resolves once it accepts connections. */
export async function startRedis(binary: string, port?: number): Promise<RedisServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = port ?? (await freePort());
    try {
      return await launch(binary, candidate);
    } catch (error) {
      lastError = error;
      if (port !== undefined) break; // a fixed port (a restart): no other to try
    }
  }
  throw lastError;
}

function launch(binary: string, port: number): Promise<RedisServer> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<RedisServer>((resolve, reject) => {
    let output = '';
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port}: ${reason}\n${output.slice(-2000)}`));
    };
    const deadline = setTimeout(() => fail(`not ready within ${START_DEADLINE_MS} ms`), START_DEADLINE_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!settled && /Ready to accept connections/.test(output)) {
        settled = true;
        clearTimeout(deadline);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ port, pid: child.pid!, stop: () => stop(child, exited) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code) => fail(`exited with ${code}`));
  });
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(forced);
}
