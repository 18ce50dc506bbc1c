// node --import tsx --test demo/server/zhuyun-idaas/zhuyun-idaas.node.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

import { mountBackend } from '../../../test/support/backend-harness.js';
import { createManualClock } from '../kit/index.js';
import { zhuyunIdaasBackend } from './index.js';

const LOGIN = '/api/v2/sdk/login/mobile-pwd';
const SKIP = '/api/v2/sdk/pwd/skip-update';
const UPDATE = '/api/v2/sdk/pwd/update';
const PASSWORD = 'demo-password';
const NEW_PASSWORD = 'Demo-pass1';

const DEVICE = {
  'content-type': 'application/json',
  'x-operating-sys-version': 'windows10.1.1',
  'x-device-fingerprint': '156aysdna213sc50',
  'x-agent': 'Mozilla/5.0 (node test)',
  'x-client-id': 'zhuyun-demo-client',
  'x-device-ip': '127.0.0.1',
};

type Mounted = Awaited<ReturnType<typeof mountBackend>>;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const decodeJwt = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

function client(server: () => Mounted) {
  const call = async (method: string, path: string, options: { body?: unknown; raw?: string; headers?: Record<string, string | undefined>; lang?: string } = {}) => {
    const headers: Record<string, string> = { ...DEVICE, ...(options.lang ? { 'x-l': options.lang } : {}) };
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      if (v === undefined) delete headers[k];
      else headers[k] = v;
    }
    const res = await fetch(server().url + path, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    let body: Body;
    try {
      body = JSON.parse(text);
    } catch {
      body = { text };
    }
    return { status: res.status, body, headers: res.headers };
  };
  return {
    call,
    login: (mobile: string, password: string, lang?: string) => call('POST', LOGIN, { body: { mobile, password }, lang }),
    skip: (stateToken: string | undefined, lang?: string) => call('GET', SKIP, { headers: { 'x-state-token': stateToken, 'content-type': undefined }, lang }),
    update: (stateToken: string | undefined, old_password: string, new_password: string, lang?: string) =>
      call('POST', UPDATE, { body: { old_password, new_password }, headers: { 'x-state-token': stateToken }, lang }),
  };
}

const assertError = (res: { status: number; body: Body }, status: number, code: string, msg?: string | RegExp) => {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body).sort(), ['error_code', 'error_msg']);
  assert.equal(res.body.error_code, code);
  if (typeof msg === 'string') assert.equal(res.body.error_msg, msg);
  else if (msg) assert.match(res.body.error_msg, msg);
};

function assertSuccess(res: { status: number; body: Body }, ttl: number, sub: string) {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body), ['session_token', 'expire', 'status', 'id_token']);
  assert.equal(res.body.status, 'SUCCESS');
  assert.match(res.body.session_token, /^[A-Za-z0-9]{32}$/);
  assert.equal(res.body.expire, ttl);
  const claims = decodeJwt(res.body.id_token);
  assert.equal(claims.sub, sub);
  assert.equal(claims.aud, 'zhuyun-demo-client');
  assert.equal(claims.exp - claims.iat, 300, 'id_token: 5 minutes (bccastle default)');
}

function assertStateResponse(res: { status: number; body: Body }, status: string) {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body), ['status', 'state_token', 'data']);
  assert.equal(res.body.status, status);
  assert.equal(typeof res.body.state_token, 'string');
  assert.equal(typeof res.body.data, 'string', 'data is a JSON string');
  const policy = JSON.parse(res.body.data);
  assert.deepEqual(Object.keys(policy), ['maxLength', 'minLength', 'regEx', 'tip']);
  assert.equal(policy.minLength, 8);
  assert.equal(policy.maxLength, 18);
  const re = new RegExp(policy.regEx);
  assert.ok(re.test(NEW_PASSWORD) && !re.test('alllowercase'));
  return { token: res.body.state_token as string, policy };
}

const ID = {
  normal: '20240101000000010-ZY10-DEMO00010',
  warn: '20240101000000011-ZY11-DEMO00011',
  expired: '20240101000000012-ZY12-DEMO00012',
};

describe('zhuyun-idaas emulation', () => {
  let server: Mounted;
  const api = client(() => server);
  const fresh = async () => {
    await server?.close();
    server = await mountBackend(zhuyunIdaasBackend, { policies: { maxPasswordFailures: 3, lockoutSeconds: 90, accessTokenTtlSeconds: 600 }, clock: createManualClock() });
  };
  before(fresh);
  after(() => server.close());

  describe('login statuses', () => {
    test('SUCCESS: session_token, expire, id_token; introspect', async () => {
      const res = await api.login('13800000010', PASSWORD);
      assertSuccess(res, 600, ID.normal);
      assert.deepEqual(await zhuyunIdaasBackend.introspect!(res.body.session_token, server.ctx), { userId: ID.normal, name: 'Demo User' });
      assert.equal(await zhuyunIdaasBackend.introspect!('nope', server.ctx), null);
      server.clock.advance(601_000);
      assert.equal(await zhuyunIdaasBackend.introspect!(res.body.session_token, server.ctx), null, 'session expired');
    });

    test('PASSWORD_WARN with the policy (Chinese tip as in the seed under zh, English under en)', async () => {
      const zh = assertStateResponse(await api.login('13800000011', PASSWORD, 'zh_CN'), 'PASSWORD_WARN');
      assert.equal(zh.policy.tip, '至少包含数字、大写字母、小写字母和特殊字符中的3种');
      const en = assertStateResponse(await api.login('13800000011', PASSWORD, 'en'), 'PASSWORD_WARN');
      assert.match(en.policy.tip, /at least 3/);
    });

    test('PASSWORD_EXPIRED', async () => {
      assertStateResponse(await api.login('13800000012', PASSWORD), 'PASSWORD_EXPIRED');
    });

    test('ACCESS_DENIED (HTTP 200)', async () => {
      const res = await api.login('13800000013', PASSWORD);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ACCESS_DENIED' });
    });

    test('USER.0039 disabled, both languages', async () => {
      assertError(await api.login('13800000014', PASSWORD), 400, 'IDAAS.SDK.USER.0039', 'User is disabled');
      assertError(await api.login('13800000014', PASSWORD, 'zh'), 400, 'IDAAS.SDK.USER.0039', '用户已被禁用');
    });

    test('COM.0002 system busy (HTTP 500) from the stand-in account', async () => {
      assertError(await api.login('13800000019', PASSWORD), 500, 'IDAAS.SDK.COM.0002', 'System busy, please try again later');
      assertError(await api.login('13800000019', 'anything', 'zh'), 500, 'IDAAS.SDK.COM.0002', '系统繁忙,请稍后再试');
    });
  });

  describe('parameter and header errors', () => {
    test('USER.0004 / USER.0006 empty mobile or password', async () => {
      assertError(await api.login('', PASSWORD), 400, 'IDAAS.SDK.USER.0004', 'Mobile number cannot be empty');
      assertError(await api.login('13800000010', '', 'zh'), 400, 'IDAAS.SDK.USER.0006', '密码不能为空');
      assertError(await api.call('POST', LOGIN, { body: { mobile: 13800000010, password: ['x'] } }), 400, 'IDAAS.SDK.USER.0004');
      assertError(await api.call('POST', LOGIN, { body: { mobile: '13800000010' } }), 400, 'IDAAS.SDK.USER.0006', 'Password cannot be empty');
    });

    test('malformed JSON and non-object bodies never crash', async () => {
      assertError(await api.call('POST', LOGIN, { raw: '{"mobile": "138' }), 400, 'IDAAS.SDK.USER.0004');
      assertError(await api.call('POST', LOGIN, { raw: '[1,2]' }), 400, 'IDAAS.SDK.USER.0004');
      assertError(await api.call('POST', LOGIN, { raw: 'null' }), 400, 'IDAAS.SDK.USER.0004');
      assertError(await api.call('POST', LOGIN), 400, 'IDAAS.SDK.USER.0004');
      const state = assertStateResponse(await api.login('13800000012', PASSWORD), 'PASSWORD_EXPIRED');
      assertError(await api.call('POST', UPDATE, { raw: '{oops', headers: { 'x-state-token': state.token } }), 400, 'IDAAS.SDK.USER.0006');
      // The token survives a correctable error.
      assertError(await api.update(state.token, PASSWORD, 'short'), 400, 'IDAAS.SDK.PWD.0004');
    });

    for (const name of ['x-operating-sys-version', 'x-device-fingerprint', 'x-agent']) {
      test(`PARAM.0001 without ${name}`, async () => {
        assertError(await api.call('POST', LOGIN, { body: { mobile: '13800000010', password: PASSWORD }, headers: { [name]: undefined } }), 400, 'IDAAS.SDK.PARAM.0001', 'Device information is incomplete');
        assertError(await api.call('POST', LOGIN, { body: { mobile: '13800000010', password: PASSWORD }, headers: { [name]: ' ' }, lang: 'zh' }), 400, 'IDAAS.SDK.PARAM.0001', '设备信息不完整');
        assertError(await api.call('GET', SKIP, { headers: { [name]: undefined, 'x-state-token': 'x' } }), 400, 'IDAAS.SDK.PARAM.0001');
        assertError(await api.call('POST', UPDATE, { body: {}, headers: { [name]: undefined, 'x-state-token': 'x' } }), 400, 'IDAAS.SDK.PARAM.0001');
      });
    }

    test('PARAM.0002 without X-client-id, PARAM.0003 unknown client id', async () => {
      const body = { mobile: '13800000010', password: PASSWORD };
      assertError(await api.call('POST', LOGIN, { body, headers: { 'x-client-id': undefined } }), 400, 'IDAAS.SDK.PARAM.0002', 'clientId cannot be empty');
      assertError(await api.call('POST', LOGIN, { body, headers: { 'x-client-id': undefined }, lang: 'zh' }), 400, 'IDAAS.SDK.PARAM.0002', 'clientId不能为空');
      assertError(await api.call('POST', LOGIN, { body, headers: { 'x-client-id': 'someone-else' } }), 400, 'IDAAS.SDK.PARAM.0003', 'The app is not registered, please register the app first');
      assertError(await api.call('POST', LOGIN, { body, headers: { 'x-client-id': 'someone-else' }, lang: 'zh' }), 400, 'IDAAS.SDK.PARAM.0003', '应用未注册,请先注册应用');
    });

    test('unknown paths and methods fall through to the core (404)', async () => {
      assert.equal(await zhuyunIdaasBackend.handle(new Request('http://x/api/v2/sdk/nope'), '/api/v2/sdk/nope', server.ctx), undefined);
      assert.equal((await api.call('POST', SKIP, { headers: { 'x-state-token': 'x' } })).status, 404);
    });
  });

  describe('lock-out', () => {
    beforeEach(fresh);

    test('remaining-attempts countdown in English, lock with unlock time, unlock after lockoutSeconds', async () => {
      assertError(await api.login('13800000010', 'wrong'), 400, 'IDAAS.SDK.LOGIN.0002', 'Invalid account or password. Remaining times: 2');
      assertError(await api.login('13800000010', 'wrong', 'en'), 400, 'IDAAS.SDK.LOGIN.0002', 'Invalid account or password. Remaining times: 1');
      assertError(
        await api.login('13800000010', 'wrong'),
        400,
        'IDAAS.SDK.LOGIN.0001',
        'User has been locked out due to multiple login failures. It will be unlocked in 1 minutes and 30 seconds',
      );
      server.clock.advance(25_000);
      assertError(await api.login('13800000010', PASSWORD), 400, 'IDAAS.SDK.LOGIN.0001', /unlocked in 1 minutes and 5 seconds$/);
      server.clock.advance(65_000);
      assertSuccess(await api.login('13800000010', PASSWORD), 600, ID.normal);
    });

    test('countdown and lock in Chinese; a success resets the count', async () => {
      assertError(await api.login('13800000010', 'wrong', 'zh_CN'), 400, 'IDAAS.SDK.LOGIN.0002', '无效的账号或密码。 剩余次数:2');
      assertSuccess(await api.login('13800000010', PASSWORD), 600, ID.normal);
      assertError(await api.login('13800000010', 'wrong', 'zh'), 400, 'IDAAS.SDK.LOGIN.0002', '无效的账号或密码。 剩余次数:2');
      assertError(await api.login('13800000010', 'wrong', 'zh'), 400, 'IDAAS.SDK.LOGIN.0002', '无效的账号或密码。 剩余次数:1');
      assertError(await api.login('13800000010', 'wrong', 'zh'), 400, 'IDAAS.SDK.LOGIN.0001', '由于多次登录失败,用户已被锁定。 它将在 1 分钟和 30 秒内解锁');
    });

    test('unknown mobiles answer exactly like wrong passwords (and lock too)', async () => {
      assertError(await api.login('13999999999', PASSWORD), 400, 'IDAAS.SDK.LOGIN.0002', 'Invalid account or password. Remaining times: 2');
      await api.login('13999999999', PASSWORD);
      assertError(await api.login('13999999999', PASSWORD), 400, 'IDAAS.SDK.LOGIN.0001');
    });
  });

  describe('password change flows', () => {
    beforeEach(fresh);

    test('PASSWORD_WARN → skip-update (GET) → SUCCESS; the state token is single-use', async () => {
      const { token } = assertStateResponse(await api.login('13800000011', PASSWORD), 'PASSWORD_WARN');
      const res = await api.skip(token);
      assertSuccess(res, 600, ID.warn);
      assertError(await api.skip(token), 400, 'IDAAS.SDK.PARAM.0014', 'Invalid state token');
      // Skipping changes nothing: the next login warns again.
      assertStateResponse(await api.login('13800000011', PASSWORD), 'PASSWORD_WARN');
    });

    test('PASSWORD_WARN → update → SUCCESS, then plain SUCCESS at login', async () => {
      const { token } = assertStateResponse(await api.login('13800000011', PASSWORD), 'PASSWORD_WARN');
      assertSuccess(await api.update(token, PASSWORD, NEW_PASSWORD), 600, ID.warn);
      assertSuccess(await api.login('13800000011', NEW_PASSWORD), 600, ID.warn);
    });

    test('PASSWORD_EXPIRED: skip refused (PARAM.0014, token kept); update works; reuse refused', async () => {
      const { token } = assertStateResponse(await api.login('13800000012', PASSWORD), 'PASSWORD_EXPIRED');
      assertError(await api.skip(token), 400, 'IDAAS.SDK.PARAM.0014', 'Invalid state token');
      assertSuccess(await api.update(token, PASSWORD, NEW_PASSWORD), 600, ID.expired);
      assertError(await api.update(token, NEW_PASSWORD, 'Other-pass2'), 400, 'IDAAS.SDK.PARAM.0014');
      assertError(await api.login('13800000012', PASSWORD), 400, 'IDAAS.SDK.LOGIN.0002');
      assertSuccess(await api.login('13800000012', NEW_PASSWORD), 600, ID.expired);
    });

    test('policy violations: too short, too long, too simple, same as old (token survives each)', async () => {
      const { token } = assertStateResponse(await api.login('13800000012', PASSWORD), 'PASSWORD_EXPIRED');
      const tip = 'Use at least 3 of: digits, uppercase letters, lowercase letters and special characters';
      assertError(await api.update(token, PASSWORD, 'Ab1-'), 400, 'IDAAS.SDK.PWD.0004', `Your password complexity is low, ${tip}`);
      assertError(await api.update(token, PASSWORD, 'Abcdefgh1-Abcdefgh1'), 400, 'IDAAS.SDK.PWD.0004');
      assertError(await api.update(token, PASSWORD, 'onlylowercase'), 400, 'IDAAS.SDK.PWD.0004');
      assertError(await api.update(token, PASSWORD, 'lower-and-dash', 'zh'), 400, 'IDAAS.SDK.PWD.0004', '您的密码复杂度低,至少包含数字、大写字母、小写字母和特殊字符中的3种');
      assertError(await api.update(token, PASSWORD, 'has space A1'), 400, 'IDAAS.SDK.PWD.0004');
      assertError(await api.update(token, PASSWORD, PASSWORD), 400, 'IDAAS.SDK.PWD.0001');
      assertError(await api.update(token, '', NEW_PASSWORD), 400, 'IDAAS.SDK.USER.0006');
      assertSuccess(await api.update(token, PASSWORD, NEW_PASSWORD), 600, ID.expired);
    });

    test('wrong old password counts toward the lock-out', async () => {
      const { token } = assertStateResponse(await api.login('13800000012', PASSWORD), 'PASSWORD_EXPIRED');
      assertError(await api.update(token, 'wrong', NEW_PASSWORD), 400, 'IDAAS.SDK.LOGIN.0002', /Remaining times: 2$/);
      assertError(await api.update(token, 'wrong', NEW_PASSWORD), 400, 'IDAAS.SDK.LOGIN.0002', /Remaining times: 1$/);
      assertError(await api.update(token, 'wrong', NEW_PASSWORD), 400, 'IDAAS.SDK.LOGIN.0001');
      assertError(await api.update(token, PASSWORD, NEW_PASSWORD), 400, 'IDAAS.SDK.LOGIN.0001');
      assertError(await api.login('13800000012', PASSWORD), 400, 'IDAAS.SDK.LOGIN.0001');
    });

    test('PARAM.0014: missing, unknown, expired, other client', async () => {
      assertError(await api.skip(undefined), 400, 'IDAAS.SDK.PARAM.0014');
      assertError(await api.update(undefined, PASSWORD, NEW_PASSWORD), 400, 'IDAAS.SDK.PARAM.0014');
      assertError(await api.skip('forged-token', 'zh'), 400, 'IDAAS.SDK.PARAM.0014', '无效的状态令牌');
      const warn = assertStateResponse(await api.login('13800000011', PASSWORD), 'PASSWORD_WARN');
      const expired = assertStateResponse(await api.login('13800000012', PASSWORD), 'PASSWORD_EXPIRED');
      server.clock.advance(5 * 60 * 1000 + 1);
      assertError(await api.skip(warn.token), 400, 'IDAAS.SDK.PARAM.0014');
      assertError(await api.update(expired.token, PASSWORD, NEW_PASSWORD), 400, 'IDAAS.SDK.PARAM.0014');
      const again = assertStateResponse(await api.login('13800000011', PASSWORD), 'PASSWORD_WARN');
      // A token is bound to the client id it was issued to (the only registered one here), so
      // a request with another id stops at PARAM.0003 before the token is even looked at.
      assertError(await api.call('GET', SKIP, { headers: { 'x-state-token': again.token, 'x-client-id': 'other' } }), 400, 'IDAAS.SDK.PARAM.0003');
      assertSuccess(await api.skip(again.token), 600, ID.warn);
    });
  });

  test('seed is idempotent and accounts are listed', async () => {
    await zhuyunIdaasBackend.seed(server.ctx);
    const users = server.ctx.store.collection('zhuyun-idaas.users').values();
    assert.equal(users.length, 6);
    assert.deepEqual(
      zhuyunIdaasBackend.accounts.map((a) => a.identifier),
      ['13800000010', '13800000011', '13800000012', '13800000013', '13800000014', '13800000019'],
    );
    for (const u of users as Array<{ passwordHash: string }>) assert.match(u.passwordHash, /^scrypt\$/);
  });
});

describe('zhuyun-idaas restart with a data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhuyun-idaas-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('WARN / EXPIRED reached again after a restart unless the password was changed; sessions persist', async () => {
    let server = await mountBackend(zhuyunIdaasBackend, { dataDir: dir, clock: createManualClock() });
    const api = client(() => server);
    assertStateResponse(await api.login('13800000011', PASSWORD), 'PASSWORD_WARN');
    const { token } = assertStateResponse(await api.login('13800000012', PASSWORD), 'PASSWORD_EXPIRED');
    assertSuccess(await api.update(token, PASSWORD, NEW_PASSWORD), 120, ID.expired);
    const session = (await api.login('13800000010', PASSWORD)).body.session_token as string;
    await server.close();

    server = await mountBackend(zhuyunIdaasBackend, { dataDir: dir, clock: createManualClock() });
    try {
      assertStateResponse(await api.login('13800000011', PASSWORD), 'PASSWORD_WARN');
      assertSuccess(await api.login('13800000012', NEW_PASSWORD), 120, ID.expired);
      assertError(await api.login('13800000012', PASSWORD), 400, 'IDAAS.SDK.LOGIN.0002');
      assertSuccess(await api.login('13800000010', PASSWORD), 120, ID.normal);
      assert.deepEqual(await zhuyunIdaasBackend.introspect!(session, server.ctx), { userId: ID.normal, name: 'Demo User' });
    } finally {
      await server.close();
    }
  });
});
