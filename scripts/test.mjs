#!/usr/bin/env node
// `npm test`: browsers → typecheck → build → node tests → browser tests, with a summary.
//
//   1. node scripts/browsers.mjs --install   install missing engines and redis-server (apt-get, as root)
//   2. npx tsc -p tsconfig.json --noEmit     a failure stops here, with tsc's exit code
//   2b. npx eslint .                         the layer rules and habits (eslint.config.mjs); a failure stops here
//   3. node scripts/build.mjs                dist/ and custom-elements.json, checked by the tests
//   4. node scripts/node-tests.mjs           *.node.test.ts with node --test
//   5. web-test-runner --config web-test-runner.config.mjs --static-logging
//
// Exits non-zero if any stage failed. The last line is "N passed, N failed" when both test
// stages reported counts (node's TAP summary, the runner's summary reporter).
// AUTH_BROWSERS=chromium,firefox,webkit narrows the engines (see web-test-runner.config.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectBrowsers } from './browsers.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const scratch = mkdtempSync(join(tmpdir(), 'auth-elements-test-'));
const stages = [];

function run(command, args, env = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const seconds = (Date.now() - started) / 1000;
  if (result.error) console.error(`could not run ${command}: ${result.error.message}`);
  return { code: result.status ?? 1, seconds };
}

function banner(title) {
  console.log(`\n━━━ ${title} ${'━'.repeat(Math.max(0, 70 - title.length))}`);
}

function record(name, { code, seconds }, status = code === 0 ? 'ok' : 'FAILED', detail = '') {
  stages.push({ name, code, seconds, status, detail });
}

/** Counts from node's TAP summary ("# pass N" …) at the top level, or null. */
function nodeCounts(file) {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const read = (key) => {
    const match = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  };
  const pass = read('pass');
  const fail = read('fail');
  if (pass === null || fail === null) return null;
  return { passed: pass, failed: fail + (read('cancelled') ?? 0), skipped: (read('skipped') ?? 0) + (read('todo') ?? 0) };
}

function browserCounts(file) {
  if (!existsSync(file)) return null;
  try {
    const { passed, failed, skipped } = JSON.parse(readFileSync(file, 'utf8'));
    return { passed, failed, skipped };
  } catch {
    return null;
  }
}

const countText = ({ passed, failed, skipped }) =>
  `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;

function summary() {
  banner('summary');
  for (const stage of stages) {
    const time = `${stage.seconds.toFixed(1)}s`.padStart(7);
    console.log(`${stage.name.padEnd(10)} ${stage.status.padEnd(7)} ${time}  ${stage.detail}`.trimEnd());
  }
}

function finish(code, counts) {
  summary();
  rmSync(scratch, { recursive: true, force: true });
  if (counts) console.log(countText(counts));
  process.exit(code);
}

// 1. System packages. Anything missing is a failure in CI; elsewhere the runner warns and runs
// the rest (the Redis store tests then skip, naming the install command).
banner('browsers: node scripts/browsers.mjs --install');
{
  const result = run(process.execPath, ['scripts/browsers.mjs', '--install']);
  if (result.code === 0) record('browsers', result);
  else {
    const detected = detectBrowsers();
    const missing = Object.entries(detected.engines).filter(([, engine]) => !engine.ok).map(([name]) => name);
    if (!detected.tools.redis.path) missing.push('redis-server');
    const fatal = inCI || !detected.engines.chromium.ok;
    record('browsers', result, fatal ? 'FAILED' : 'WARN', missing.length ? `missing: ${missing.join(', ')}` : '');
  }
}

// 2. Typecheck: stop at once on failure.
banner('typecheck: npx tsc -p tsconfig.json --noEmit');
{
  const result = run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  record('typecheck', result);
  if (result.code !== 0) finish(result.code, null);
}

// 2b. Lint: the layer rules of DESIGN.md and the habits of STYLE.md, as code.
banner('lint: npx eslint .');
{
  const result = run('npx', ['eslint', '.', '--max-warnings', '0']);
  record('lint', result);
  if (result.code !== 0) finish(result.code, null);
}

// 3. Build: the Node and browser tests also check what ships (dist/, custom-elements.json).
banner('build: node scripts/build.mjs');
{
  const result = run(process.execPath, ['scripts/build.mjs']);
  record('build', result);
  if (result.code !== 0) finish(result.code, null);
}

// 4. Node tests (spec to the console, TAP to a file for the counts).
banner('node tests: node scripts/node-tests.mjs');
const nodeTap = join(scratch, 'node.tap');
let nodeResult;
{
  const result = run(process.execPath, [
    'scripts/node-tests.mjs',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${nodeTap}`,
  ]);
  // No test files at all: node-tests.mjs exits 0 without running node.
  nodeResult = existsSync(nodeTap) ? nodeCounts(nodeTap) : result.code === 0 ? { passed: 0, failed: 0, skipped: 0 } : null;
  record('node', result, undefined, nodeResult ? countText(nodeResult) : '');
}

// 5. Browser tests.
banner('browser tests: web-test-runner --config web-test-runner.config.mjs');
const wtrSummary = join(scratch, 'wtr-summary.json');
let browserResult;
{
  const result = run(
    join(root, 'node_modules', '.bin', 'web-test-runner'),
    ['--config', 'web-test-runner.config.mjs', '--static-logging'],
    { AUTH_WTR_SUMMARY: wtrSummary },
  );
  browserResult = browserCounts(wtrSummary);
  record('browser', result, undefined, browserResult ? countText(browserResult) : '');
}

const failed = stages.some((stage) => stage.status === 'FAILED');
// Counts only when both test stages reported them and they agree with the exit codes.
const agrees = (name, counts) =>
  counts !== null && (stages.find((stage) => stage.name === name).code === 0) === (counts.failed === 0);
finish(
  failed ? 1 : 0,
  agrees('node', nodeResult) && agrees('browser', browserResult)
    ? {
        passed: nodeResult.passed + browserResult.passed,
        failed: nodeResult.failed + browserResult.failed,
        skipped: nodeResult.skipped + browserResult.skipped,
      }
    : null,
);
