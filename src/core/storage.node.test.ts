import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { resolveStorage, StoredValue } from './storage.js';

/** A Web Storage that counts what is done to it; `refuse` makes every call throw as blocked storage does. */
function countingStorage(refuse = false) {
  const calls: string[] = [];
  const map = new Map<string, string>();
  const check = (call: string) => {
    calls.push(call);
    if (refuse) throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  return {
    calls,
    storage: {
      getItem: (key: string) => (check(`get ${key}`), map.get(key) ?? null),
      setItem: (key: string, value: string) => (check(`set ${key}`), void map.set(key, value)),
      removeItem: (key: string) => (check(`remove ${key}`), void map.delete(key)),
    },
  };
}

function install(name: 'localStorage' | 'sessionStorage', value: unknown) {
  Object.defineProperty(globalThis, name, { configurable: true, get: () => value });
}

describe('resolveStorage', () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).localStorage;
    delete (globalThis as Record<string, unknown>).sessionStorage;
  });

  it('takes localStorage without writing to it (no disk write, no storage event in other tabs), shared between tabs', () => {
    const local = countingStorage();
    install('localStorage', local.storage);
    const { adapter, shared } = resolveStorage('local');
    assert.equal(adapter, local.storage);
    assert.equal(shared, true);
    assert.deepEqual(local.calls.filter((call) => !call.startsWith('get ')), [], 'nothing written or removed');
  });

  it('sessionStorage is this tab\'s own', () => {
    install('sessionStorage', countingStorage().storage);
    assert.equal(resolveStorage('session').shared, false);
  });

  it('blocked storage (a SecurityError on read) or none at all: the session lives in memory for this page', async () => {
    install('localStorage', countingStorage(true).storage);
    const blocked = resolveStorage('local');
    assert.equal(blocked.shared, false);
    await blocked.adapter.setItem('k', 'v');
    assert.equal(await blocked.adapter.getItem('k'), 'v', 'a memory store');
    // Reading the property itself throws where cookies are blocked.
    Object.defineProperty(globalThis, 'localStorage', { configurable: true, get: () => { throw new DOMException('denied', 'SecurityError'); } });
    assert.equal(resolveStorage('local').shared, false);
    delete (globalThis as Record<string, unknown>).localStorage;
    assert.equal(resolveStorage('local').shared, false, 'no localStorage (Node, SSR)');
  });

  it('a write refused later (a full quota) keeps the page going: the value is not stored, nothing throws', async () => {
    const full = countingStorage();
    full.storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const slot = new StoredValue(full.storage, 'auth-elements:test', (value): value is string => typeof value === 'string');
    await slot.write('session');
    assert.equal(await slot.read(), null);
  });
});
