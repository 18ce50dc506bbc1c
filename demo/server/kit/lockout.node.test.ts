// node --import tsx --test demo/server/kit/lockout.node.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createManualClock } from './clock.js';
import { createLockout, type LockoutRecord } from './lockout.js';
import { createStore } from './store.js';

function setup(maxFailures = 3, lockSeconds = 60) {
  const clock = createManualClock(1_700_000_000_000);
  const records = createStore().collection<LockoutRecord>('test.lockout');
  return { clock, records, lockout: createLockout({ records, maxFailures, lockSeconds, now: clock.now }) };
}

describe('kit: lock-out', () => {
  test('counts failures per account and reports the attempts left', () => {
    const { lockout } = setup();
    assert.deepEqual(lockout.state('a'), { locked: false, failures: 0, remaining: 3 });
    assert.deepEqual(lockout.fail('a'), { locked: false, failures: 1, remaining: 2 });
    assert.deepEqual(lockout.fail('a'), { locked: false, failures: 2, remaining: 1 });
    assert.deepEqual(lockout.state('b'), { locked: false, failures: 0, remaining: 3 }, 'another account is untouched');
  });

  test('the failure that reaches the threshold locks, with the unlock time and the wait', () => {
    const { lockout, clock } = setup();
    lockout.fail('a');
    lockout.fail('a');
    const locked = lockout.fail('a');
    assert.deepEqual(locked, { locked: true, failures: 3, until: clock.now() + 60_000, retryAfterSeconds: 60 });
    clock.advance(20_500);
    assert.deepEqual(lockout.state('a'), { locked: true, failures: 3, until: locked.locked ? locked.until : 0, retryAfterSeconds: 40 }, 'the wait is rounded up');
  });

  test('failures while locked count nothing and do not extend the lock', () => {
    const { lockout, clock } = setup();
    for (let i = 0; i < 3; i += 1) lockout.fail('a');
    const until = clock.now() + 60_000;
    clock.advance(30_000);
    assert.deepEqual(lockout.fail('a'), { locked: true, failures: 3, until, retryAfterSeconds: 30 });
  });

  test('the lock ends at its unlock instant, one millisecond before it still holds', () => {
    const { lockout, clock } = setup();
    for (let i = 0; i < 3; i += 1) lockout.fail('a');
    clock.advance(60_000 - 1);
    assert.deepEqual(lockout.state('a'), { locked: true, failures: 3, until: clock.now() + 1, retryAfterSeconds: 1 });
    clock.advance(1);
    assert.deepEqual(lockout.state('a'), { locked: false, failures: 0, remaining: 3 }, 'the count starts again from zero');
    assert.deepEqual(lockout.fail('a'), { locked: false, failures: 1, remaining: 2 });
  });

  test('reset forgets the failures; a threshold below 1 locks at the first failure', () => {
    const { lockout } = setup();
    lockout.fail('a');
    lockout.reset('a');
    assert.deepEqual(lockout.state('a'), { locked: false, failures: 0, remaining: 3 });
    const strict = setup(0);
    assert.equal(strict.lockout.fail('a').locked, true);
  });

  test('the state lives in the given collection (so it persists with the store)', () => {
    const { lockout, records, clock } = setup();
    lockout.fail('a');
    assert.deepEqual(records.get('a'), { failures: 1 });
    lockout.fail('a');
    lockout.fail('a');
    assert.deepEqual(records.get('a'), { failures: 3, lockedUntil: clock.now() + 60_000 });
    const again = createLockout({ records, maxFailures: 3, lockSeconds: 60, now: clock.now });
    assert.equal(again.state('a').locked, true);
  });
});
