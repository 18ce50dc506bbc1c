#!/usr/bin/env node
// Runs every *.node.test.ts under src/, test/ and demo/ with Node's own test runner:
//   node --import tsx --test [extra node args] <files>
// Node 20's --test has no globs, so the files are collected here. Extra arguments are passed
// on to node (e.g. --test-reporter=tap, --test-name-pattern=…). Exits with node's code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIRS = ['src', 'test', 'demo'];
const PATTERN = /\.node\.test\.ts$/;

export function findNodeTests() {
  const files = [];
  for (const dir of DIRS) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { recursive: true, withFileTypes: false })) {
      const file = String(entry);
      if (file.split(sep).includes('node_modules')) continue;
      if (PATTERN.test(file)) files.push(relative(root, join(base, file)));
    }
  }
  return files.sort();
}

const files = findNodeTests();
if (files.length === 0) {
  console.log(`node tests: no *.node.test.ts files under ${DIRS.join('/, ')}/ — nothing to run.`);
  process.exit(0);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', ...process.argv.slice(2), ...files],
  { cwd: root, stdio: 'inherit' },
);
if (result.error) {
  console.error(`node tests: could not start node: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
