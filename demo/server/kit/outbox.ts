// The outbox: where the emulations "send" their codes and messages, for the demo page and tests.
import type { Store } from './store.js';
import { randomToken } from './tokens.js';

/** A code or message the emulation "sent": listed for the demo page, never sent anywhere. */
export interface OutboxMessage {
  id: string;
  at: number;
  /** Order of delivery, for messages sent within the same millisecond. */
  seq: number;
  backend: string;
  channel: 'sms' | 'email';
  to: string;
  /** What for: `login`, `register`, `reset_password`, `second_factor`… */
  purpose: string;
  code?: string;
  text: string;
}

export interface Outbox {
  deliver(message: Omit<OutboxMessage, 'id' | 'at' | 'seq'>): OutboxMessage;
  list(filter?: { backend?: string; to?: string }): OutboxMessage[];
  /** The newest code sent to `to` (tests read codes from here). */
  latestCode(to: string, backend?: string): string | undefined;
}

export function createOutbox(store: Store, now: () => number): Outbox {
  const messages = store.collection<OutboxMessage>('outbox');
  let seq = messages.values().reduce((max, m) => Math.max(max, m.seq ?? 0), 0);
  return {
    deliver(message) {
      const full = { ...message, id: randomToken('msg_', 9), at: now(), seq: ++seq };
      messages.put(full.id, full);
      return full;
    },
    list(filter = {}) {
      return messages
        .values()
        .filter((m) => (!filter.backend || m.backend === filter.backend) && (!filter.to || m.to === filter.to))
        .sort((a, b) => b.at - a.at || (b.seq ?? 0) - (a.seq ?? 0));
    },
    latestCode(to, backend) {
      return this.list({ to, backend }).find((m) => m.code)?.code;
    },
  };
}
