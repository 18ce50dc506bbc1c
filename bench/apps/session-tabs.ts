// Session-cost page: `?clients=N` AuthClients (real storage, BroadcastChannel, Web Locks) over
// a fake provider whose refresh POSTs to the bench server, which counts the requests.
import { AuthClient } from '../../src/core/client.js';
import type { Adapter } from '../../src/contract/index.js';

const params = new URLSearchParams(location.search);
const count = Number(params.get('clients') ?? '1');
// `events` lists `EVENT:access_token` per change, so a test can tell which session each event carried.
const bench = { refreshCalls: 0, refreshed: 0, initial: 0, events: [] as string[] };
(globalThis as { bench?: typeof bench }).bench = bench;

const provider: Adapter = {
  type: 'oidc',
  key: 'bench-tabs',
  capabilities: { password: [], signUp: [], recovery: [], otp: [], oauth: [], popup: false, anonymous: false, refresh: true },
  async refresh(session) {
    bench.refreshCalls++;
    const response = await fetch('/api/refresh', { method: 'POST', body: session.refresh_token ?? '' });
    const { n } = (await response.json()) as { n: number };
    return { access_token: `access-${n}`, refresh_token: `refresh-${n}`, expires_in: 3600, token_type: 'Bearer' };
  },
};

for (let i = 0; i < count; i++) {
  const client = new AuthClient({ provider, detectSessionInUrl: false });
  client.onAuthStateChange((event, session) => {
    bench.events.push(`${event}:${session?.access_token ?? ''}`);
    if (event === 'INITIAL_SESSION') bench.initial++;
    if (event === 'TOKEN_REFRESHED') bench.refreshed++;
  });
}
