// Browser tests run under Mocha (through @web/test-runner), so `describe`/`it`/hooks are
// globals there. tsconfig restricts automatic @types to "node"; this pulls in Mocha's.
// Node tests import describe/it from 'node:test', which shadows these globals.
/// <reference types="mocha" />
