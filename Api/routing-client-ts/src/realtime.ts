// What the three hub clients share (docs/realtime.md, "Reconnection and resync"): a SignalR connection that carries a
// token read on every (re)connect, connects again for ever after any drop, and after every (re)connect takes the
// hub's snapshot before anything else — a push missed while the connection was down is in it. A connection the server
// refuses for want of a valid token (401), or for a reason no retry changes (too many desks open), is not tried again:
// the caller is told. Hub events and methods are typed from the server's contract (generated/hubs.ts).
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { isPermanent, isUnauthorized, toHubError } from "./errors.js";

/** How a hub client connects, and what it tells its user about the connection. */
export interface RealtimeOptions {
  /** The server's origin, e.g. "https://routing.example.com"; left out, the page's own (a browser page on the server). */
  server?: string;
  /**
   * The bearer token, asked for on every (re)connect, so a renewed one is the one sent: an account's token
   * (POST /api/auth/token), an API key's, or a conversation's customer token.
   */
  accessToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Milliseconds to wait before each attempt to connect again; the last repeats for ever. Default 0, 1 s, 2 s, 5 s. */
  retryDelays?: readonly number[];
  /** What SignalR itself logs to the console. Default "warning". */
  logLevel?: "none" | "error" | "warning" | "information" | "debug";
  /** The connection went down (false) or is up again (true) — e.g. to show a "reconnecting" banner. */
  onConnectionChange?: (connected: boolean) => void;
  /** The server refused the token (401): the client has stopped for good; sign in again and make a new one. */
  onRefused?: (error: Error) => void;
  /** The server refused the connection for a reason a retry does not change: the client has stopped for good. */
  onStopped?: (error: unknown) => void;
  /** A snapshot after a (re)connect failed; it is tried again while the connection holds. */
  onResyncFailed?: (error: unknown) => void;
}

/** A hub's events: each event's arguments, in order (e.g. the generated AgentEventArgs). */
export type EventMap<E> = { [K in keyof E]: unknown[] };
/** A hub's methods: each method's arguments, in order, and its answer (e.g. the generated AgentMethodSignatures). */
export type MethodMap<M> = { [K in keyof M]: { args: unknown[]; returns: unknown } };

const defaultDelays: readonly number[] = [0, 1000, 2000, 5000];
const logLevels = {
  none: LogLevel.None,
  error: LogLevel.Error,
  warning: LogLevel.Warning,
  information: LogLevel.Information,
  debug: LogLevel.Debug,
} as const;

/**
 * A connection to one hub, typed by its events (E), its methods (M) and its snapshot (S). The agent, customer and
 * supervisor clients build on it; each takes its hub's snapshot its own way.
 */
export abstract class RealtimeHub<E extends EventMap<E>, M extends MethodMap<M>, S> {
  readonly #connection: HubConnection;
  readonly #options: RealtimeOptions;
  readonly #delays: readonly number[];
  readonly #snapshotHandlers = new Set<(snapshot: S) => void | Promise<void>>();
  readonly #detach: () => void;
  #stopped = false;
  #connecting: Promise<void> | null = null;
  #resyncTail: Promise<void> = Promise.resolve();
  #resyncPending: Promise<void> | null = null;

  protected constructor(path: string, options: RealtimeOptions) {
    this.#options = options;
    this.#delays = options.retryDelays?.length ? options.retryDelays : defaultDelays;
    this.#connection = new HubConnectionBuilder()
      .withUrl(`${(options.server ?? "").replace(/\/+$/, "")}${path}`, {
        accessTokenFactory: async () => (await options.accessToken?.()) ?? "",
      })
      .configureLogging(logLevels[options.logLevel ?? "warning"])
      .build();
    // Every drop is followed by connecting again here rather than by SignalR's own reconnection, so that each attempt
    // can tell a refused token (401) or a permanent refusal from a network that is down.
    this.#connection.onclose((error) => {
      if (this.#stopped) {
        return;
      }
      if (isPermanent(error)) {
        void this.#stopFor(() => this.#options.onStopped?.(toHubError(error)));
        return;
      }
      this.#options.onConnectionChange?.(false);
      void this.#connect(this.#delay(0));
    });
    this.#detach = watchNetwork(
      () => {
        // A socket may linger unnoticed for a while after the network has gone: drop it now, and connect afresh (and
        // take the snapshot) as soon as the network is back.
        this.#options.onConnectionChange?.(false);
        void this.#connection.stop();
      },
      () => void this.start(),
    );
  }

  /** Whether the connection is up (a method can be called). */
  get connected(): boolean {
    return this.#connection.state === HubConnectionState.Connected;
  }

  /** Whether the client has stopped for good (stop(), a refused token or a permanent refusal). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Connects — trying for ever, with the retry delays between attempts — and takes the first snapshot. Resolves once
   * both are done, or when the client stops for good.
   */
  start(): Promise<void> {
    return this.#connect(0);
  }

  /** Closes the connection for good: no reconnection, and no handler is called again. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#detach();
    await this.#connection.stop();
  }

  /** Listens to one of the hub's events; the answer removes the listener. */
  on<K extends keyof E & string>(event: K, handler: (...args: E[K]) => void): () => void {
    const listener = handler as (...args: unknown[]) => void;
    this.#connection.on(event, listener);
    return () => this.#connection.off(event, listener);
  }

  /** Calls one of the hub's methods; a refusal rejects with a RoutingHubError carrying the server's stable code. */
  async invoke<K extends keyof M & string>(method: K, ...args: M[K]["args"]): Promise<M[K]["returns"]> {
    try {
      return (await this.#connection.invoke(method, ...args)) as M[K]["returns"];
    } catch (error) {
      throw toHubError(error);
    }
  }

  /**
   * Called with every snapshot, after the client has applied it: on every (re)connect and on every resync(). A
   * handler that throws fails the snapshot, which after a (re)connect is then taken again.
   */
  onSnapshot(handler: (snapshot: S) => void | Promise<void>): () => void {
    this.#snapshotHandlers.add(handler);
    return () => this.#snapshotHandlers.delete(handler);
  }

  /**
   * Takes the hub's snapshot now and hands it to the snapshot handlers. Snapshots are taken one at a time, in order
   * (an older one is never applied after a newer one); asked for while one is waiting its turn, the waiting one serves.
   */
  resync(): Promise<void> {
    if (this.#resyncPending) {
      return this.#resyncPending;
    }
    const next = this.#resyncTail
      .catch(() => undefined)
      .then(async () => {
        this.#resyncPending = null;
        const snapshot = await this.takeSnapshot();
        try {
          for (const handler of [...this.#snapshotHandlers]) {
            await handler(snapshot);
          }
        } finally {
          this.snapshotApplied();
        }
      });
    this.#resyncPending = next;
    this.#resyncTail = next;
    return next;
  }

  /** Asks the hub for its snapshot and applies it to what the client keeps (transcripts, offers). */
  protected abstract takeSnapshot(): Promise<S>;

  /**
   * After the snapshot handlers have run: the messages the snapshot brought are handed on now, so that a handler of
   * them finds the state the snapshot made (who the agent is, which conversations are held).
   */
  protected snapshotApplied(): void {}

  /** One connecting loop at a time; a drop while it ends (after its last look) starts another. */
  #connect(firstDelay: number): Promise<void> {
    this.#connecting ??= this.#connectLoop(firstDelay).finally(() => {
      this.#connecting = null;
      if (!this.#stopped && this.#connection.state === HubConnectionState.Disconnected && online()) {
        void this.#connect(this.#delay(0));
      }
    });
    return this.#connecting;
  }

  async #connectLoop(firstDelay: number): Promise<void> {
    for (let attempt = 0; !this.#stopped && this.#connection.state === HubConnectionState.Disconnected; attempt++) {
      await sleep(attempt === 0 ? firstDelay : this.#delay(attempt));
      if (!online()) {
        return; // the network's "online" event starts again
      }
      try {
        await this.#connection.start();
      } catch (error) {
        if (isUnauthorized(error)) {
          await this.#stopFor(() => this.#options.onRefused?.(error as Error));
          return;
        }
        if (isPermanent(error)) {
          await this.#stopFor(() => this.#options.onStopped?.(toHubError(error)));
          return;
        }
        continue;
      }
      this.#options.onConnectionChange?.(true);
      await this.#resyncUntilDone();
      attempt = -1; // dropped again while taking the snapshot: the loop goes on, from the first delay
    }
  }

  /** The snapshot after a (re)connect must arrive: a failed one is taken again while the connection holds. */
  async #resyncUntilDone(): Promise<void> {
    for (let attempt = 1; this.connected && !this.#stopped; attempt++) {
      try {
        await this.resync();
        return;
      } catch (error) {
        this.#options.onResyncFailed?.(toHubError(error));
        await sleep(this.#delay(attempt));
      }
    }
  }

  async #stopFor(tell: () => void): Promise<void> {
    await this.stop();
    tell();
  }

  #delay(attempt: number): number {
    return this.#delays[Math.min(attempt, this.#delays.length - 1)];
  }
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether the network is up, where the runtime knows (a browser); elsewhere assumed up. */
function online(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

/** In a browser, the network's "offline" and "online" events; elsewhere nothing. Answers the way to stop listening. */
function watchNetwork(offline: () => void, backOnline: () => void): () => void {
  const target = globalThis as Partial<Pick<Window, "addEventListener" | "removeEventListener">>;
  if (typeof target.addEventListener !== "function" || typeof target.removeEventListener !== "function") {
    return () => {};
  }
  target.addEventListener("offline", offline);
  target.addEventListener("online", backOnline);
  return () => {
    target.removeEventListener?.("offline", offline);
    target.removeEventListener?.("online", backOnline);
  };
}
