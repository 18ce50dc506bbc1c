#!/usr/bin/env node
// `npm run build`: cleans dist/, then
//   1. vite (rolldown) ESM build: one file per entry of scripts/entries.mjs + shared chunks,
//      dependencies (lit, @lit/context) left as imports, readable, with sourcemaps
//   2. vite IIFE build: dist/auth-elements.iife.js, everything inside, minified, sourcemap
//   3. tsc -p tsconfig.build.json: declarations into dist/types/
//   4. custom-elements-manifest analyze: ./custom-elements.json, then docs/api.md from it
// The two vite builds run one after the other (same dist/, small and fast); tsc and the
// analyzer run beside them. Ends with a table of the output sizes (raw and gzip).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { ROOT } from './entries.mjs';

const require = createRequire(import.meta.url);
const DIST = resolve(ROOT, 'dist');
const started = performance.now();
const seconds = (from) => `${((performance.now() - from) / 1000).toFixed(2)} s`;
const timings = [];

async function step(name, job) {
  const from = performance.now();
  await job();
  timings.push(`${name} ${seconds(from)}`);
}

/** Runs a node script quietly; its output is shown only when it fails. */
function runNode(args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${args.map((a) => relative(ROOT, a) || a).join(' ')} exited with ${code}\n${output}`));
    });
  });
}

async function viteBuilds() {
  const configFile = resolve(ROOT, 'vite.config.ts');
  await step('vite esm', () => build({ configFile, mode: 'production' }));
  await step('vite iife', () => build({ configFile, mode: 'iife' }));
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((entry) => join(dir, String(entry)))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** An ESM file plus every chunk it imports, statically and transitively (externals excluded). */
function withChunks(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const [, specifier] of code.matchAll(/^\s*(?:import|export)\b[^'"]*?["'](\.{1,2}\/[^"']+)["']/gm)) {
    withChunks(resolve(file, '..', specifier), seen);
  }
  return seen;
}

function sizeTable() {
  const gzip = (buffer) => gzipSync(buffer, { level: 9 }).length;
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
  const rows = [];
  let types = { raw: 0, count: 0 };
  for (const file of listFiles(DIST)) {
    const name = relative(DIST, file);
    if (name.endsWith('.map')) continue;
    const content = readFileSync(file);
    if (name.startsWith('types')) {
      types = { raw: types.raw + content.length, count: types.count + 1 };
      continue;
    }
    let closure = '';
    if (!name.startsWith('chunks') && !name.includes('.iife.')) {
      const files = [...withChunks(file)];
      if (files.length > 1) closure = kb(gzip(Buffer.concat(files.map((f) => readFileSync(f)))));
    }
    rows.push([`dist/${name}`, kb(content.length), kb(gzip(content)), closure]);
  }
  const manifest = readFileSync(resolve(ROOT, 'custom-elements.json'));
  rows.push([`dist/types/ (${types.count} .d.ts)`, kb(types.raw), '', '']);
  rows.push(['custom-elements.json', kb(manifest.length), kb(gzip(manifest)), '']);
  // "+ chunks": what importing that entry loads from this package (gzip, lit not included).
  const header = ['file', 'raw', 'gzip', '+ chunks gzip'];
  const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(['', line(header), ...rows.map(line)].join('\n'));
}

try {
  rmSync(DIST, { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  const cem = require.resolve('@custom-elements-manifest/analyzer/cem.js');
  await Promise.all([
    viteBuilds(),
    step('tsc declarations', () => runNode([tsc, '-p', 'tsconfig.build.json'])),
    step('custom-elements.json', () =>
      runNode([cem, 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']),
    ).then(() => step('docs/api.md', () => runNode(['--import', 'tsx', 'scripts/api-docs.ts']))),
  ]);
  sizeTable();
  console.log(`\nbuilt in ${seconds(started)} (${timings.join(', ')}); gzip level 9`);
} catch (error) {
  console.error(`\nbuild failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
