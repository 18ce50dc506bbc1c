// The session of one configuration as state: what is held now, storage, the other tabs and the
// listeners. Every change goes through `commit`, which writes, tells the tabs and then the
// listeners, in that order, with no lock held by the time a listener runs.
import { AuthChangeEvent, type AuthError, type AuthStateChangeCallback, type ClientNotice, type PendingStep, type Session, type Subscription, type User } from '../contract/index.js';
import { randomString } from './util/pkce.js';
import { StoredValue, type StorageAdapter } from './storage.js';
import { TabSync, type TabMessage } from './tab-sync.js';

export type AuthStatus = 'loading' | 'signed-in' | 'signed-out';

/** The reactive state the elements render from. */
export interface AuthState {
  status: AuthStatus;
  session: Session | null;
  user: User | null;
  /** A step the backend is waiting on (a new password, a code, a security check), in memory only. */
  pending: PendingStep | null;
}

export interface Commit {
  session: Session | null;
  event: AuthChangeEvent;
  /** The element that caused the change, so that it announces the change itself. */
  source?: unknown;
  /** Write storage (false when the session came from storage or another tab). */
  persist: boolean;
  /** Tell the subscribers (false during start-up, before INITIAL_SESSION). */
  notify: boolean;
}

type Listener = (notice: ClientNotice) => void;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class SessionStore {
  readonly slot: StoredValue<Session>;
  /** Whether the storage is seen by other tabs (localStorage or a custom adapter). */
  readonly shared: boolean;
  #state: AuthState = { status: 'loading', session: null, user: null, pending: null };
  #tabs: TabSync | null = null;
  #subscriptions = new Map<string, Subscription>();
  #awaitingInitial: Subscription[] = [];
  #initialized = false;
  /** Start-up found a stored session and has not settled it yet (`restore`). */
  #restoring = false;
  #early: TabMessage | null = null;
  #listeners = new Set<Listener>();
  #noticeId = 0;
  /** Bumped by every change of person (sign-in, sign-out), so a late answer cannot resurrect an old session. */
  #generation = 0;
  #onChange: (session: Session | null) => void = () => {};

  constructor(storage: StorageAdapter, shared: boolean, readonly namespace: string, accept: (value: unknown) => value is Session) {
    this.shared = shared;
    this.slot = new StoredValue(storage, `${namespace}:session`, accept);
  }

  get state(): AuthState {
    return this.#state;
  }

  get generation(): number {
    return this.#generation;
  }

  get initialized(): boolean {
    return this.#initialized;
  }

  /** Whether start-up is restoring a stored session: `status` is still `loading`, and likely to become `signed-in`. */
  get restoring(): boolean {
    return this.#restoring;
  }

  /** Start-up read a stored session: the elements show that one is coming, not the sign-in form (a `state` notice). */
  restore(): void {
    this.#restoring = true;
    this.notice({ type: 'state' });
  }

  /**
   * Opens the tab channel. What other tabs say before start-up ends waits, so that no event
   * precedes INITIAL_SESSION. `onChange` hears every new session, made here or in another tab.
   */
  open(onChange: (session: Session | null) => void): void {
    this.#onChange = onChange;
    if (!this.shared) return;
    this.#tabs = new TabSync(`${this.namespace}:tabs`, this.slot.key, (raw) => this.slot.parse(raw), (message) => {
      if (this.#initialized) this.#receive(message);
      else this.#early = message;
    });
  }

  /** Start-up is over: subscribers get INITIAL_SESSION, then what other tabs said meanwhile. */
  initialize(): void {
    this.#initialized = true;
    const waiting = this.#awaitingInitial;
    this.#awaitingInitial = [];
    for (const subscription of waiting) this.#deliverInitial(subscription);
    this.notice({ type: 'change', event: AuthChangeEvent.INITIAL_SESSION, session: this.#state.session });
    const early = this.#early;
    this.#early = null;
    if (early) this.#receive(early);
  }

  /** Makes `session` current: storage, state, other tabs, then listeners. */
  async commit({ session, event, source, persist, notify }: Commit): Promise<void> {
    const changesPerson = event === AuthChangeEvent.SIGNED_IN || event === AuthChangeEvent.SIGNED_OUT;
    if (changesPerson) this.#generation++;
    if (persist) {
      if (session) await this.slot.write(session);
      else await this.slot.remove();
    }
    this.set(session, changesPerson ? null : this.#state.pending);
    this.#onChange(session);
    this.#tabs?.post({ event, session });
    if (notify) this.emit(event, session, source);
  }

  /** Sets the state without telling anyone but the elements (start-up, a pending step). */
  set(session: Session | null, pending: PendingStep | null = this.#state.pending): void {
    this.#restoring = false;
    this.#state = { status: session ? 'signed-in' : 'signed-out', session, user: session?.user ?? null, pending };
    this.notice({ type: 'state' });
  }

  setPending(step: PendingStep | null): void {
    this.set(this.#state.session, step);
  }

  /** A change another tab made (and already wrote to storage). */
  #receive({ session, event }: TabMessage): void {
    const current = this.#state.session;
    if (session?.access_token === current?.access_token && JSON.stringify(session?.user) === JSON.stringify(current?.user)) return;
    const inferred = event ?? (!session ? AuthChangeEvent.SIGNED_OUT : !current || session.user.id !== current.user.id ? AuthChangeEvent.SIGNED_IN : AuthChangeEvent.TOKEN_REFRESHED);
    const changesPerson = inferred !== AuthChangeEvent.TOKEN_REFRESHED && inferred !== AuthChangeEvent.USER_UPDATED && inferred !== AuthChangeEvent.BIND_IDENTITY;
    if (changesPerson) this.#generation++;
    this.set(session, changesPerson ? null : this.#state.pending);
    this.#onChange(session);
    this.emit(inferred, session);
  }

  /**
   * Subscribes to session changes. Each new subscriber first gets `INITIAL_SESSION`. Callbacks
   * run after every lock is released and are never awaited, so one may call the client.
   */
  onAuthStateChange(callback: AuthStateChangeCallback): { data: { subscription: Subscription } } {
    const id = randomString(9);
    const subscription: Subscription = { id, callback, unsubscribe: () => void this.#subscriptions.delete(id) };
    this.#subscriptions.set(id, subscription);
    if (this.#initialized) queueMicrotask(() => this.#deliverInitial(subscription));
    else this.#awaitingInitial.push(subscription);
    return { data: { subscription } };
  }

  /** For elements: every change, error and state update, with the `source` that caused it. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: AuthChangeEvent, session: Session | null, source?: unknown): void {
    for (const subscription of [...this.#subscriptions.values()]) call(subscription.callback, event, session);
    this.notice({ type: 'change', event, session, source });
  }

  error(error: AuthError, source?: unknown): void {
    this.notice({ type: 'error', error, source });
  }

  notice(notice: DistributiveOmit<ClientNotice, 'id'>): void {
    const full = { ...notice, id: ++this.#noticeId } as ClientNotice;
    for (const listener of [...this.#listeners]) {
      try {
        listener(full);
      } catch (error) {
        reportLater(error);
      }
    }
  }

  close(): void {
    this.#tabs?.close();
    this.#subscriptions.clear();
    this.#listeners.clear();
  }

  #deliverInitial(subscription: Subscription): void {
    if (this.#subscriptions.has(subscription.id)) call(subscription.callback, AuthChangeEvent.INITIAL_SESSION, this.#state.session);
  }
}

/** Calls a listener without awaiting it; its failure is reported, never thrown into the client. */
function call(callback: AuthStateChangeCallback, event: AuthChangeEvent, session: Session | null): void {
  try {
    const result = callback(event, session);
    if (result && typeof (result as Promise<void>).catch === 'function') (result as Promise<void>).catch(reportLater);
  } catch (error) {
    reportLater(error);
  }
}

function reportLater(error: unknown): void {
  // A listener's bug is the page's to see, but it must not break the client or other listeners.
  console.error('[auth-elements] a listener failed:', error);
}
