import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toE164 } from './fields.js';

test('toE164 joins the region code and the number, refusing what cannot be a phone number', () => {
  assert.equal(toE164('+86', '138 0000 0000'), '+8613800000000');
  assert.equal(toE164('86', '(138) 0000-0000'), '+8613800000000');
  assert.equal(toE164('+44', '07700 900123'), '+447700900123', 'a trunk 0 is dropped');
  assert.equal(toE164('+86', '+1 415 555 0100'), '+14155550100', 'a number with its own + keeps it');
  assert.equal(toE164('+86', 'abc'), null);
  assert.equal(toE164('+86', ''), null);
  assert.equal(toE164('+86', '1'.repeat(20)), null, 'E.164 has at most 15 digits');
});
