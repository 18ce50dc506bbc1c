// node --import tsx --test demo/server/kit/codes.node.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createManualClock } from './clock.js';
import { createCodeIssuer, createSendInterval, type IssuedCode, type SendRecord } from './codes.js';
import { createStore } from './store.js';

const START = 1_700_000_000_000;

function setup(options: { keepSeconds?: number } = {}) {
  const clock = createManualClock(START);
  const store = createStore();
  const codes = store.collection<IssuedCode<{ user: string }>>('test.codes');
  const sends = store.collection<SendRecord>('test.sends');
  const issuer = createCodeIssuer({ codes, sends, lifetimeSeconds: 300, maxAttempts: 3, resendIntervalSeconds: 60, now: clock.now, ...options });
  /** Issues a code and returns its id and code (fails the test if throttled). */
  const send = (target = 'a@example.test', purpose = 'login', id?: string) => {
    const result = issuer.issue({ target, purpose, data: { user: 'u1' }, id });
    assert.ok(result.sent, 'sent');
    return result;
  };
  return { clock, codes, sends, issuer, send };
}

describe('kit: send interval', () => {
  test('inside the interval it says how long to wait (rounded up); at the interval it allows', () => {
    const clock = createManualClock(START);
    const interval = createSendInterval({ sends: createStore().collection('t.sends'), intervalSeconds: 60, now: clock.now });
    assert.equal(interval.wait('x'), 0);
    interval.record('x');
    assert.equal(interval.wait('x'), 60);
    clock.advance(20_001);
    assert.equal(interval.wait('x'), 40);
    assert.equal(interval.wait('y'), 0, 'per recipient');
    clock.advance(39_998);
    assert.equal(interval.wait('x'), 1, 'one millisecond before: still a second to wait');
    clock.advance(1);
    assert.equal(interval.wait('x'), 0, 'exactly at the interval');
  });
});

describe('kit: code issuer', () => {
  test('a code is six digits, stored only as a hash, and works once', () => {
    const { send, issuer, codes } = setup();
    const { id, code, expiresAt } = send();
    assert.match(code, /^\d{6}$/);
    assert.equal(expiresAt, START + 300_000);
    assert.ok(!JSON.stringify(codes.values()).includes(code), 'the code itself is not stored');
    const ok = issuer.verify(id, code);
    assert.equal(ok.status, 'ok');
    assert.deepEqual(ok.status === 'ok' && ok.record.data, { user: 'u1' });
    assert.deepEqual(issuer.verify(id, code), { status: 'used' }, 'reuse of a used code');
  });

  test('resend: refused inside the interval with the wait, for any purpose; allowed exactly at it', () => {
    const { send, issuer, clock } = setup();
    send();
    clock.advance(59_000);
    assert.deepEqual(issuer.issue({ target: 'a@example.test', purpose: 'register', data: { user: 'u1' } }), { sent: false, retryAfterSeconds: 1 });
    assert.equal(issuer.issue({ target: 'b@example.test', purpose: 'login', data: { user: 'u2' } }).sent, true, 'another target');
    clock.advance(1_000);
    assert.equal(issuer.issue({ target: 'a@example.test', purpose: 'login', data: { user: 'u1' } }).sent, true);
  });

  test('a throttled issue keeps the earlier code valid', () => {
    const { send, issuer } = setup();
    const first = send();
    assert.equal(issuer.issue({ target: 'a@example.test', purpose: 'login', data: { user: 'u1' } }).sent, false);
    assert.equal(issuer.verify(first.id, first.code).status, 'ok');
  });

  test('wrong codes count down; the last attempt burns the code, even for the right one afterwards', () => {
    const { send, issuer } = setup();
    const { id, code } = send();
    const wrong = code === '000000' ? '111111' : '000000';
    assert.deepEqual(issuer.verify(id, wrong), { status: 'wrong', remaining: 2 });
    assert.deepEqual(issuer.verify(id, wrong), { status: 'wrong', remaining: 1 });
    assert.deepEqual(issuer.verify(id, wrong), { status: 'wrong', remaining: 0 }, 'this try used the last attempt');
    assert.deepEqual(issuer.verify(id, code), { status: 'exhausted' });
  });

  test('a right code after wrong ones (within the attempts) works', () => {
    const { send, issuer } = setup();
    const { id, code } = send();
    issuer.verify(id, `${code}0`);
    assert.equal(issuer.verify(id, code).status, 'ok');
  });

  test('a code at its expiry instant is expired; one millisecond before, it works', () => {
    const early = setup();
    const a = early.send();
    early.clock.advance(300_000 - 1);
    assert.equal(early.issuer.verify(a.id, a.code).status, 'ok');

    const late = setup();
    const b = late.send();
    late.clock.advance(300_000);
    assert.deepEqual(late.issuer.verify(b.id, b.code), { status: 'expired' });
  });

  test('expiry wins over exhaustion; unknown ids are unknown', () => {
    const { send, issuer, clock } = setup();
    const { id, code } = send();
    for (let i = 0; i < 3; i += 1) issuer.verify(id, `x${code}`);
    clock.advance(300_000);
    assert.deepEqual(issuer.verify(id, code), { status: 'expired' });
    assert.deepEqual(issuer.verify('nope', code), { status: 'unknown' });
  });

  test('spend: false checks without spending; spend() then makes it single use', () => {
    const { send, issuer } = setup();
    const { id, code } = send();
    assert.equal(issuer.verify(id, code, { spend: false }).status, 'ok');
    assert.equal(issuer.verify(id, code, { spend: false }).status, 'ok', 'still good');
    issuer.spend(id);
    assert.deepEqual(issuer.verify(id, code), { status: 'used' });
  });

  test('a given id and code: the id is replaced by a new issue, the caller’s code is used', () => {
    const { issuer, clock } = setup();
    const first = issuer.issue({ target: 't', purpose: 'login', id: 'login|t', code: 'link-token', data: { user: 'u1' } });
    assert.deepEqual(first, { sent: true, id: 'login|t', code: 'link-token', expiresAt: START + 300_000 });
    clock.advance(60_000);
    const second = issuer.issue({ target: 't', purpose: 'login', id: 'login|t', data: { user: 'u1' } });
    assert.ok(second.sent);
    assert.deepEqual(issuer.verify('login|t', 'link-token').status, 'wrong', 'the first code is gone');
    assert.equal(issuer.verify('login|t', second.code).status, 'ok');
  });

  test('expired records are dropped at the next issue, or kept for keepSeconds', () => {
    const plain = setup();
    const old = plain.send('a');
    plain.clock.advance(300_000);
    plain.send('b');
    assert.equal(plain.issuer.get(old.id), undefined);
    assert.deepEqual(plain.issuer.verify(old.id, old.code), { status: 'unknown' });

    const kept = setup({ keepSeconds: 300 });
    const first = kept.send('a');
    kept.clock.advance(300_000);
    kept.send('b');
    assert.deepEqual(kept.issuer.verify(first.id, first.code), { status: 'expired' }, 'still known');
    kept.clock.advance(300_000);
    kept.send('c');
    assert.equal(kept.issuer.get(first.id), undefined, 'dropped once kept long enough');
  });
});
