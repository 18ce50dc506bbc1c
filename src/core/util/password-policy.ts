import type { FieldProblem, PasswordPolicy } from '../../contract/index.js';

/**
 * The longest password a backend's pattern is run on. Past it the pattern is left to the
 * backend: together with `isSafePattern` this bounds the work a pattern can make the page do.
 */
export const MAX_PATTERN_INPUT = 128;

/** Checks a new password against a backend's policy; returns the broken rule, or null. */
export function checkPassword(password: string, policy: PasswordPolicy | undefined): Extract<FieldProblem, 'too_short' | 'too_long' | 'pattern'> | null {
  if (!policy) return null;
  if (policy.minLength !== undefined && password.length < policy.minLength) return 'too_short';
  if (policy.maxLength !== undefined && password.length > policy.maxLength) return 'too_long';
  // A pattern that could backtrack for seconds (a backend's `(a+)+b`) is never run here: the
  // backend enforces its own rule when the password is sent.
  if (policy.pattern && password.length <= MAX_PATTERN_INPUT && isSafePattern(policy.pattern)) {
    try {
      if (!new RegExp(`^(?:${policy.pattern})$`, 'u').test(password)) return 'pattern';
    } catch {
      // A pattern this browser cannot compile is left to the backend to enforce.
    }
  }
  return null;
}

/** Unbounded (or widely bounded) quantifiers in a row that a pattern may have: O(n³) at most. */
const MAX_DEGREE = 3;
const WIDE = 32;

interface Frame {
  /** A quantifier or an alternation somewhere inside: repeating this group could backtrack exponentially. */
  ambiguous: boolean;
  /** Wide quantifiers in sequence, the polynomial degree of a failing match. */
  degree: number;
  lookaround: boolean;
}

/**
 * Whether a backend's password pattern is safe to run on what a person types: no
 * backreference, no repeated group that holds a quantifier or an alternation (`(a+)+`,
 * `(a|aa)*`: exponential backtracking), and at most three wide quantifiers in a row
 * (`.*.*.*.*x`: polynomial). Errs on the side of refusing; a refused pattern is the backend's
 * to enforce. Never throws, whatever the string.
 */
export function isSafePattern(source: string): boolean {
  const stack: Frame[] = [{ ambiguous: false, degree: 0, lookaround: false }];
  let i = 0;
  /** The group or atom just read, for the quantifier that may follow it. */
  let last: Frame | 'atom' | null = null;
  while (i < source.length) {
    const char = source[i]!;
    const top = stack[stack.length - 1]!;
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      // \1…\9 and \k<name>: backreferences, which no regular-expression engine runs in linear time.
      if (/[1-9k]/.test(next)) return false;
      // \u{…}, \p{…}, \P{…}: one atom, braces included.
      const braced = /[upP]/.test(next) && source[i + 2] === '{' ? source.indexOf('}', i + 2) : -1;
      i = braced > 0 ? braced + 1 : i + 2;
      last = 'atom';
      continue;
    }
    if (char === '[') {
      i = classEnd(source, i);
      last = 'atom';
      continue;
    }
    if (char === '(') {
      // `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` or `(?<name>`.
      const head = /^\((?:\?(?:<?[=!]|:|<[^>]*>))?/.exec(source.slice(i, i + 256))![0];
      stack.push({ ambiguous: false, degree: 0, lookaround: /^\(\?<?[=!]/.test(head) });
      i += head.length;
      last = null;
      continue;
    }
    if (char === ')') {
      if (stack.length === 1) return false;
      const group = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      parent.ambiguous ||= group.ambiguous;
      // A lookaround runs on its own from one position: its degree is its own, not its parent's.
      if (!group.lookaround) parent.degree += group.degree;
      if (group.degree > MAX_DEGREE) return false;
      last = group;
      i++;
      continue;
    }
    if (char === '|') {
      top.ambiguous = true;
      last = null;
      i++;
      continue;
    }
    const quantifier = readQuantifier(source, i);
    if (quantifier) {
      if (last && last !== 'atom' && quantifier.max > 1 && last.ambiguous) return false;
      top.ambiguous = true;
      if (quantifier.max > WIDE) top.degree++;
      if (top.degree > MAX_DEGREE) return false;
      i = quantifier.end;
      // A lazy or possessive-looking suffix: `+?` / `*?`.
      if (source[i] === '?') i++;
      last = null;
      continue;
    }
    last = 'atom';
    i++;
  }
  return stack.length === 1 && stack[0]!.degree <= MAX_DEGREE;
}

/** The index after the character class opening at `start` (escapes honoured). */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` at `i`: its largest count and where it ends. */
function readQuantifier(source: string, i: number): { max: number; end: number } | null {
  const char = source[i];
  if (char === '*' || char === '+') return { max: Infinity, end: i + 1 };
  if (char === '?') return { max: 1, end: i + 1 };
  if (char !== '{') return null;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!match) return null;
  const max = match[2] === undefined ? Number(match[1]) : match[3] ? Number(match[3]) : Infinity;
  return { max, end: i + match[0].length };
}
