// `npm run bench` (issue #11): bytes, load time, heap and session cost of auth-elements, printed
// as one markdown table with the budget beside each figure. A benchmark, not a test: it exits 0
// when a budget is missed and says by how much instead. `--rounds N` (default 9, at least 7).
//
//   1. bench/build.ts   the script-tag bundle and one small app per element, in a scratch dir
//   2. bench/server.ts  serves them on 127.0.0.1
//   3. bench/browser.ts headless Chromium: medians over alternating rounds, and session cost
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp, buildScriptTag, type Built, type Size } from './build.js';
import { launch, measurePages, reloadCost, tabsCost, CHROMIUM, type ReloadCost, type Sample, type TabsCost } from './browser.js';
import { APPS, FLOOR, PAGES, sessionTabsHtml } from './pages.js';
import { startServer } from './server.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '9' }, keep: { type: 'boolean', default: false } } });
const ROUNDS = Math.max(7, Number(values.rounds) || 9);
/** The refresh race is timing-dependent: each multi-client scenario runs this many times. */
const TAB_TRIALS = 3;
const BUDGET = {
  scriptTagGzip: 20 * 1024,
  passwordGzip: 11 * 1024,
  firstInputRatio: 1.2,
  heapBytes: 1.2 * 1024 * 1024,
} as const;

const started = performance.now();
const log = (text: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${text}\n`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mark = (ok: boolean) => (ok ? '✓' : '✗');

type Row = [area: string, subject: string, figure: string, detail: string, budget: string, ok: string];
const rows: Row[] = [];
const misses: string[] = [];

function miss(text: string): void {
  misses.push(text);
}

const scratch = mkdtempSync(join(tmpdir(), 'auth-elements-bench-'));
try {
  // ── bytes ────────────────────────────────────────────────────────────────────
  log('building the script-tag bundle and the apps (vite)');
  const scriptTag = await buildScriptTag(scratch);
  const built = new Map<string, Built>();
  for (const app of APPS) built.set(app.id, await buildApp(scratch, app));
  const sizeCells = (size: Size) => `${kb(size.min)} min · ${kb(size.gzip)} gz · ${kb(size.brotli)} br`;
  const floorSize = built.get(FLOOR)!.initial;

  const tagOk = scriptTag.initial.gzip <= BUDGET.scriptTagGzip;
  rows.push(['bytes', 'script tag, initial (auth-elements.iife.js)', sizeCells(scriptTag.initial), `${(scriptTag.initial.gzip / floorSize.gzip).toFixed(1)}× floor`, `≤ ${kb(BUDGET.scriptTagGzip)} gz`, mark(tagOk)]);
  if (!tagOk) miss(`script tag initial ${kb(scriptTag.initial.gzip)} gzip is ${kb(scriptTag.initial.gzip - BUDGET.scriptTagGzip)} over ${kb(BUDGET.scriptTagGzip)}`);
  rows.push(['bytes', 'script tag, lazy-loadable', scriptTag.lazyFiles ? sizeCells(scriptTag.lazy) : '0 B (no dynamic import: everything is initial)', `${scriptTag.lazyFiles} file(s)`, '—', '']);
  for (const app of APPS) {
    if (!app.sizeRow) continue;
    const size = built.get(app.id)!;
    const cells = sizeCells(size.initial) + (size.lazyFiles ? ` (+ lazy ${kb(size.lazy.gzip)} gz)` : '');
    const detail = app.id === FLOOR ? 'base' : `${(size.initial.gzip / floorSize.gzip).toFixed(1)}× floor`;
    if (app.budgetGzip) {
      const ok = size.initial.gzip <= app.budgetGzip;
      rows.push(['bytes', app.label, cells, detail, `≤ ${kb(app.budgetGzip)} gz`, mark(ok)]);
      if (!ok) miss(`${app.label}: ${kb(size.initial.gzip)} gzip is ${kb(size.initial.gzip - app.budgetGzip)} over ${kb(app.budgetGzip)}`);
    } else {
      rows.push(['bytes', app.label, cells, detail, '—', '']);
    }
  }

  // ── browser ──────────────────────────────────────────────────────────────────
  const pageHtml = new Map<string, (origin: string) => string>(PAGES.map((page) => [page.id, page.html]));
  pageHtml.set('session-tabs', sessionTabsHtml);
  const server = await startServer(scratch, pageHtml);
  const browser = await launch();
  const chromiumVersion = browser.version();
  let samples: Map<string, Sample[]>;
  const reloads: ReloadCost[] = [];
  const tabs: TabsCost[] = [];
  try {
    log(`Chromium ${chromiumVersion}: ${PAGES.length} pages × ${ROUNDS} rounds`);
    samples = await measurePages(browser, server.origin, PAGES, ROUNDS, log);
    log('session cost: reload with a stored session');
    for (const page of PAGES.filter((p) => p.session)) reloads.push(await reloadCost(browser, server, page));
    log(`session cost: 10 clients in one page, then 10 tabs (${TAB_TRIALS} trials each)`);
    for (let trial = 0; trial < TAB_TRIALS; trial++) {
      tabs.push(await tabsCost(browser, server, 'one page'));
      tabs.push(await tabsCost(browser, server, 'tabs'));
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const medianOf = (id: string, key: keyof Sample) => median(samples.get(id)!.map((s) => s[key]));
  const floor = { first: medianOf(FLOOR, 'firstControl'), heap: medianOf(FLOOR, 'heap'), script: medianOf(FLOOR, 'script') };
  for (const page of PAGES) {
    if (!page.tag) {
      rows.push(['heap after render', page.label, mb(medianOf(page.id, 'heap')), `floor holds ${kb(floor.heap - medianOf(page.id, 'heap'))} more`, 'reference', '']);
      continue;
    }
    const first = medianOf(page.id, 'firstControl');
    const heap = medianOf(page.id, 'heap');
    const script = medianOf(page.id, 'script');
    const isFloor = page.id === FLOOR;
    const ratio = first / floor.first;
    const range = samples.get(page.id)!.map((s) => s.firstControl);
    const firstOk = isFloor || ratio <= BUDGET.firstInputRatio;
    rows.push([
      'first input',
      page.label,
      ms(first),
      `${isFloor ? 'base' : `${ratio.toFixed(2)}× floor`}; range ${Math.min(...range).toFixed(0)}–${Math.max(...range).toFixed(0)} ms`,
      isFloor ? '—' : `≤ ${BUDGET.firstInputRatio}× floor`,
      isFloor ? '' : mark(firstOk),
    ]);
    if (!firstOk) miss(`first input of ${page.label}: ${ratio.toFixed(2)}× the floor (${ms(first)} vs ${ms(floor.first)}), ${ms(first - BUDGET.firstInputRatio * floor.first)} over ${BUDGET.firstInputRatio}×`);
    const heapOk = heap <= BUDGET.heapBytes;
    rows.push(['heap after render', page.label, mb(heap), isFloor ? 'base' : `+${kb(heap - floor.heap)} over floor`, `≤ ${mb(BUDGET.heapBytes)}`, mark(heapOk)]);
    if (!heapOk) miss(`heap of ${page.label}: ${mb(heap)}, ${kb(heap - BUDGET.heapBytes)} over ${mb(BUDGET.heapBytes)}${isFloor ? '' : ` (+${kb(heap - floor.heap)} over the floor)`}`);
    rows.push(['script time', page.label, ms(script), isFloor ? 'base' : `${(script / floor.script).toFixed(2)}× floor`, '—', '']);
  }

  for (const reload of reloads) {
    const label = PAGES.find((p) => p.id === reload.page)!.label;
    const ok = reload.restored && reload.beforeInitial === 0;
    const detail = `${reload.restored ? 'session restored' : 'session NOT restored'}; ${reload.firstSecond} in the first second${reload.server.length ? ` (${[...new Set(reload.server)].join(', ')})` : ''}${reload.note ? `; ${reload.note}` : ''}`;
    rows.push(['session: reload', `${label}, valid stored session: requests before INITIAL_SESSION`, String(reload.beforeInitial), detail, '0', mark(ok)]);
    if (!ok) miss(`reload of ${label}: ${reload.beforeInitial} request(s) before INITIAL_SESSION${reload.restored ? '' : ', and the stored session was not restored'}`);
  }
  for (const mode of ['one page', 'tabs'] as const) {
    const trials = tabs.filter((cost) => cost.mode === mode);
    const clients = trials[0]!.clients;
    const worst = Math.max(...trials.map((cost) => cost.refreshRequests));
    const ok = trials.every((cost) => cost.refreshRequests === 1 && cost.refreshedClients === cost.clients);
    const where = mode === 'one page' ? `${clients} clients in one page` : `${clients} tabs, one client each`;
    const reused = trials.reduce((n, cost) => n + cost.reused, 0);
    rows.push([
      'session: refresh',
      `${where}, one expiring session: refresh requests (worst of ${trials.length})`,
      String(worst),
      `per trial ${trials.map((cost) => cost.refreshRequests).join(', ')}; clients refreshed ${trials.map((cost) => `${cost.refreshedClients}/${cost.clients}`).join(', ')}${reused ? `; same refresh token sent twice ${reused}×` : ''}${trials.every((cost) => cost.visible) ? '' : '; some tabs hidden'}`,
      '1',
      mark(ok),
    ]);
    if (!ok) miss(`${where}: ${trials.map((cost) => cost.refreshRequests).join(', ')} refresh requests in ${trials.length} trials (target 1)${reused ? `, the same refresh token spent twice ${reused}×` : ''}`);
  }

  // ── print ────────────────────────────────────────────────────────────────────
  const header: Row = ['area', 'subject', 'figure', 'detail', 'budget', ''];
  const escape = (cell: string) => cell.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const table = [header, ['---', '---', '---:', '---', '---', ':-:'] as Row, ...rows].map((row) => `| ${row.map((cell, i) => (i === 1 || i === 0 ? escape(cell) : cell.replace(/\|/g, '\\|'))).join(' | ')} |`);
  const cpu = cpus();
  const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB; Node ${process.version}; Chromium ${chromiumVersion} (${CHROMIUM}); ${ROUNDS} rounds, medians`;
  const date = new Date().toISOString().slice(0, 10);
  const where = (built: Built, top = 6) => {
    const total = [...built.groups.values()].reduce((a, b) => a + b, 0);
    return [...built.groups].sort((a, b) => b[1] - a[1]).slice(0, top).map(([group, bytes]) => `${group} ${Math.round((100 * bytes) / total)}%`).join(', ');
  };
  const registryCost = built.get('password')!.initial.gzip - built.get('password-direct')!.initial.gzip;
  console.log([
    `## Benchmark (${date})`,
    '',
    `Machine: ${machine}.`,
    '',
    ...table,
    '',
    'Bytes: minified, gzip -9, brotli -q 11; KB = 1024 B. Apps are bundled as a user\'s app would be (vite, ESM, minified, lit inside, dev warnings stripped), one build each.',
    '"First input": navigation start → the element\'s first input (first button for <auth-social>) in the DOM; heap: JSHeapUsedSize after a forced GC; script time: CDP ScriptDuration up to that point. Each page load runs in a fresh browser context; the order alternates every round.',
    `Where the bytes go (pre-minification share): script tag — ${where(scriptTag, 8)}; <auth-password> + configure() — ${where(built.get('password')!, 8)}; no registry — ${where(built.get('password-direct')!, 6)}.`,
    `The registry (configure()/createAuthClient()/<auth-config> → src/providers/registry.ts → all six adapters) costs ${kb(registryCost)} gzip in the <auth-password> app.`,
    '',
    misses.length ? `Budgets missed (${misses.length}):` : 'Every budget is met.',
    ...misses.map((text) => `- ${text}`),
  ].join('\n'));
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  if (!values.keep) rmSync(scratch, { recursive: true, force: true });
  else log(`kept ${scratch}`);
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
