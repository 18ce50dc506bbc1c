// The React and Vue type tests, against the typings that ship (dist/types/, through package.json
// "exports", as an app resolves `auth-elements/react` and `auth-elements/vue`):
//   tsc -p test/types/react/tsconfig.json      app.tsx: the wrappers and the bare tags in JSX
//   vue-tsc -p test/types/vue/tsconfig.json    the demo's App.vue and Fixture.vue templates
// Each fixture marks the mistakes the types must catch (`@ts-expect-error`, `@vue-expect-error`):
// a loose type leaves a directive unused, which fails the check. And a control run of each
// fixture without its directives must fail on exactly the lines they marked, so every marked
// mistake is a real error (not one the directive happens to swallow from a neighbour).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../scripts/entries.mjs';

const require = createRequire(import.meta.url);
const TSC = require.resolve('typescript/bin/tsc');
const VUE_TSC = require.resolve('vue-tsc/bin/vue-tsc.js');
const BUILT = existsSync(resolve(ROOT, 'dist/types/react/index.d.ts')) && existsSync(resolve(ROOT, 'dist/types/vue/index.d.ts'));
const skip = BUILT ? false : 'dist/types/ is not built: run `npm run build` first';
// A bound for a checker that hangs on a loaded machine, not a guess at its speed.
const TIMEOUT = 180_000;

interface Case {
  checker: string;
  project: string;
  fixture: string;
  directive: RegExp;
}

const CASES: Record<'React' | 'Vue', Case> = {
  React: { checker: TSC, project: 'test/types/react/tsconfig.json', fixture: 'test/types/react/app.tsx', directive: /^\s*\{\/\* @ts-expect-error\b.*\*\/\}\s*$/ },
  Vue: { checker: VUE_TSC, project: 'test/types/vue/tsconfig.json', fixture: 'test/types/vue/Fixture.vue', directive: /^\s*<!-- @vue-expect-error\b.*-->\s*$/ },
};

/** Runs a checker on a project; resolves with its exit code and output. */
function check(checker: string, project: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [checker, '-p', project, '--pretty', 'false'], { cwd: ROOT, timeout: TIMEOUT }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** The fixture's lines that follow a directive (1-based), and the fixture without its directives. */
function stripDirectives(text: string, directive: RegExp): { marked: number[]; stripped: string } {
  const kept: string[] = [];
  const marked: number[] = [];
  for (const line of text.split('\n')) {
    if (directive.test(line)) marked.push(kept.length + 1);
    else kept.push(line);
  }
  return { marked, stripped: kept.join('\n') };
}

describe('React and Vue typings (as shipped)', { concurrency: true }, () => {
  for (const [name, spec] of Object.entries(CASES)) {
    it(`${name}: the fixtures type-check, and every marked mistake is an error`, { skip }, async () => {
      const result = await check(spec.checker, spec.project);
      assert.equal(result.code, 0, `${relative(ROOT, spec.checker)} -p ${spec.project} failed:\n${result.output}`);
    });

    it(`${name}: without its directives, the fixture fails on exactly the marked lines`, { skip }, async () => {
      const fixture = resolve(ROOT, spec.fixture);
      const { marked, stripped } = stripDirectives(readFileSync(fixture, 'utf8'), spec.directive);
      assert.ok(marked.length >= 5, `${spec.fixture} marks ${marked.length} mistakes`);
      // Beside the fixture, so that it resolves the package the same way.
      const dir = dirname(fixture);
      const copy = join(dir, `control-${process.pid}-${basename(fixture)}`);
      const project = join(dir, `tsconfig.control-${process.pid}.json`);
      const config = JSON.parse(readFileSync(resolve(ROOT, spec.project), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
      writeFileSync(copy, stripped);
      writeFileSync(project, JSON.stringify({ ...config, files: [basename(copy)] }));
      try {
        const result = await check(spec.checker, relative(ROOT, project));
        assert.notEqual(result.code, 0, `${name}: the fixture without its directives type-checks: the checker checks nothing`);
        const lines = [...result.output.matchAll(new RegExp(`${basename(copy).replace(/\./g, '\\.')}\\((\\d+),\\d+\\): error`, 'g'))].map((m) => Number(m[1]));
        assert.deepEqual([...new Set(lines)].sort((a, b) => a - b), marked, `${name}: lines with errors ≠ lines marked\n${result.output}`);
      } finally {
        rmSync(copy, { force: true });
        rmSync(project, { force: true });
      }
    });
  }
});
