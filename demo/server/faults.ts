// Fault injection for tests: rules that make one route of the reference server fail on purpose.
//
// A rule matches a request by `method` (any when absent; preflights are never faulted) and
// `path`: exact, or a prefix when it ends with `*`. The path is compared with the full URL path
// (`/cloudbase/auth/v1/signin`); when the rule names a `backend`, the request must be for that
// backend and the path may also be given mount-relative (`/auth/v1/signin`). The first matching
// rule wins; with `times` it expires after that many hits. Admin routes (`/__…`) are never faulted.
//
// Effects, in this order:
//   delayMs  wait before answering (the real handler runs afterwards unless `status`/`drop`)
//   drop     destroy the connection without an answer (the client sees a socket error)
//   status   answer with this status without running the handler (no side effects); the body
//            is `body` when given, else JSON `{ error: 'fault_injected' }`
//   body     without `status`: the handler runs, its status and headers are kept and its body
//            is replaced: 'malformed' (truncated JSON), 'html' (an HTML error page, text/html),
//            'empty' (zero bytes)

import { randomBytes } from 'node:crypto';

export type FaultBody = 'malformed' | 'html' | 'empty';

export interface FaultRuleInput {
  method?: string;
  path: string;
  backend?: string;
  status?: number;
  delayMs?: number;
  body?: FaultBody;
  drop?: boolean;
  times?: number;
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** How many requests this rule has hit so far. */
  hits: number;
}

export interface FaultController {
  /** Adds a rule (validated: throws a TypeError on a bad one) and returns it with its id. */
  add(rule: FaultRuleInput): FaultRule;
  remove(id: string): boolean;
  clear(): void;
  list(): FaultRule[];
  /** Finds the rule for a request and counts the hit (removing the rule when its `times` run out). */
  take(request: { method: string; pathname: string; backend?: string; path?: string }): FaultRule | undefined;
}

const BODIES = new Set<FaultBody>(['malformed', 'html', 'empty']);
const MAX_DELAY_MS = 120_000;

/** Validates a rule from the admin API; returns the rule or an error message. */
export function parseFaultRule(value: unknown): FaultRuleInput | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the rule must be a JSON object';
  const v = value as Record<string, unknown>;
  const known = new Set(['method', 'path', 'backend', 'status', 'delayMs', 'body', 'drop', 'times']);
  const unknown = Object.keys(v).filter((k) => !known.has(k));
  if (unknown.length) return `unknown field(s): ${unknown.join(', ')}`;
  if (typeof v.path !== 'string' || !v.path.startsWith('/')) return '`path` must be a string starting with "/" (exact, or a prefix ending with "*")';
  if (v.method !== undefined && (typeof v.method !== 'string' || !/^[A-Za-z]+$/.test(v.method))) return '`method` must be an HTTP method name';
  if (v.backend !== undefined && (typeof v.backend !== 'string' || !v.backend)) return '`backend` must be a backend name';
  if (v.status !== undefined && (!Number.isInteger(v.status) || (v.status as number) < 200 || (v.status as number) > 599)) return '`status` must be an integer from 200 to 599';
  if (v.delayMs !== undefined && (typeof v.delayMs !== 'number' || !Number.isFinite(v.delayMs) || v.delayMs < 0 || v.delayMs > MAX_DELAY_MS)) return `\`delayMs\` must be a number from 0 to ${MAX_DELAY_MS}`;
  if (v.body !== undefined && !BODIES.has(v.body as FaultBody)) return '`body` must be "malformed", "html" or "empty"';
  if (v.drop !== undefined && typeof v.drop !== 'boolean') return '`drop` must be a boolean';
  if (v.times !== undefined && (!Number.isInteger(v.times) || (v.times as number) < 1)) return '`times` must be a positive integer';
  if (v.status === undefined && v.delayMs === undefined && v.body === undefined && !v.drop) return 'the rule has no effect: give status, delayMs, body or drop';
  const rule: FaultRuleInput = { path: v.path };
  if (v.method !== undefined) rule.method = (v.method as string).toUpperCase();
  if (v.backend !== undefined) rule.backend = v.backend as string;
  if (v.status !== undefined) rule.status = v.status as number;
  if (v.delayMs !== undefined) rule.delayMs = v.delayMs as number;
  if (v.body !== undefined) rule.body = v.body as FaultBody;
  if (v.drop) rule.drop = true;
  if (v.times !== undefined) rule.times = v.times as number;
  return rule;
}

const matchPath = (pattern: string, candidate: string | undefined) =>
  candidate !== undefined && (pattern.endsWith('*') ? candidate.startsWith(pattern.slice(0, -1)) : candidate === pattern);

export function createFaultController(): FaultController {
  let rules: Array<FaultRule & { remaining?: number }> = [];
  return {
    add(input) {
      const parsed = parseFaultRule(input);
      if (typeof parsed === 'string') throw new TypeError(`Invalid fault rule: ${parsed}`);
      const rule = { ...parsed, id: `fault_${randomBytes(6).toString('base64url')}`, hits: 0, remaining: parsed.times };
      rules.push(rule);
      const { remaining: _r, ...copy } = rule;
      return copy;
    },
    remove(id) {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      return rules.length !== before;
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.map(({ remaining: _r, ...rule }) => ({ ...rule, ...(rule.times !== undefined ? { times: _r } : {}) }));
    },
    take({ method, pathname, backend, path }) {
      const upper = method.toUpperCase();
      const rule = rules.find((r) => {
        if (r.method && r.method !== upper) return false;
        if (!r.method && upper === 'OPTIONS') return false;
        if (r.backend && r.backend !== backend) return false;
        return matchPath(r.path, pathname) || (r.backend !== undefined && matchPath(r.path, path));
      });
      if (!rule) return undefined;
      rule.hits += 1;
      if (rule.remaining !== undefined) {
        rule.remaining -= 1;
        if (rule.remaining <= 0) rules = rules.filter((r) => r !== rule);
      }
      const { remaining: _r, ...copy } = rule;
      return copy;
    },
  };
}

/** The replacement body of a fault, with its content type. */
export function faultBody(kind: FaultBody | undefined, status: number): { body: string; contentType: string } {
  switch (kind) {
    case 'malformed':
      return { body: '{"error":"fault_injected","message":"this JSON stops in the mid', contentType: 'application/json; charset=utf-8' };
    case 'html':
      return {
        body: `<!DOCTYPE html>\n<html><head><title>${status} Error</title></head><body><center><h1>${status} Error</h1></center><hr><center>nginx</center></body></html>\n`,
        contentType: 'text/html; charset=utf-8',
      };
    case 'empty':
      return { body: '', contentType: 'application/json; charset=utf-8' };
    default:
      return { body: JSON.stringify({ error: 'fault_injected', message: `Injected fault (${status}).` }), contentType: 'application/json; charset=utf-8' };
  }
}
