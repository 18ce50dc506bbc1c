// The start-server / stop-server plumbing: a Node server from test/support/servers.ts,
// reached from the page over real HTTP.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

interface Started {
  id: string;
  url: string;
  info: unknown;
}

describe('server commands', () => {
  it('starts the echo server, fetches it and stops it', async () => {
    const server = await executeServerCommand<Started, { name: string }>('start-server', { name: 'echo' });
    expect(server.id).to.be.a('string');
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    try {
      const response = await fetch(new URL('hello?x=1', server.url), { method: 'POST', body: 'ping' });
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ ok: true, method: 'POST', url: '/hello?x=1' });
    } finally {
      await executeServerCommand('stop-server', { id: server.id });
    }
    // Stopped means stopped: the port no longer answers.
    let refused = false;
    try {
      await fetch(server.url);
    } catch {
      refused = true;
    }
    expect(refused, 'server still answering after stop-server').to.equal(true);
  });
});
