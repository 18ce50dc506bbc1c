// README's examples, as tests run them: a section by its heading, and the fenced code blocks in
// it. A test that runs what README shows fails when README drifts from what works.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The text under the heading whose title is exactly `title`, up to the next heading of its level or higher. */
export function readmeSection(title: string): string {
  const lines = readFileSync(README, 'utf8').split('\n');
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '') === title);
  if (start === -1) throw new Error(`README has no heading "${title}"`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  let end = start + 1;
  let fenced = false;
  for (; end < lines.length; end++) {
    if (lines[end]!.startsWith('```')) fenced = !fenced;
    const heading = /^(#+) /.exec(lines[end]!);
    if (!fenced && heading && heading[1]!.length <= level) break;
  }
  return lines.slice(start + 1, end).join('\n');
}

/** The fenced code blocks of `text` tagged `lang` (```html …```), in order. */
export function codeBlocks(text: string, lang: string): string[] {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === lang).map((m) => m[2]!);
}
