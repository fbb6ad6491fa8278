// A SignalR connection that reconnects on its own for ever, resynchronises after every (re)connect, and shows a
// banner while it is down.
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { showError } from "./dom";
import { t } from "./i18n";

export interface Realtime {
  hub: HubConnection;
  start(): Promise<void>;
  /** Closes the connection for good: no reconnection, no more handlers. */
  stop(): Promise<void>;
}

const retryDelays = [0, 1000, 2000, 5000];

export function connect(url: string, resync: () => Promise<void>): Realtime {
  const hub = new HubConnectionBuilder()
    .withUrl(url)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => retryDelays[c.previousRetryCount] ?? 5000 })
    .configureLogging(LogLevel.Warning)
    .build();
  hub.onreconnecting(() => banner(true));
  hub.onreconnected(async () => {
    banner(false);
    await resyncUntilDone();
  });
  // Automatic reconnection gives up when the first attempts fail; keep trying, as a desk must.
  let stopped = false;
  hub.onclose(() => {
    if (stopped) {
      return;
    }
    banner(true);
    void startLoop();
  });
  // When the browser says the network is gone, an open WebSocket may linger unnoticed for a while: drop it, say
  // so, and connect afresh (and resynchronise) as soon as the network is back.
  const offline = (): void => {
    banner(true);
    void hub.stop();
  };
  const online = (): void => void startLoop();
  window.addEventListener("offline", offline);
  window.addEventListener("online", online);

  let looping = false;
  async function startLoop(): Promise<void> {
    if (looping || stopped) {
      return;
    }
    looping = true;
    try {
      for (let attempt = 0; hub.state === HubConnectionState.Disconnected; attempt++) {
        if (!navigator.onLine) {
          return; // the "online" event starts again
        }
        try {
          await hub.start();
        } catch {
          await new Promise((r) => setTimeout(r, retryDelays[attempt] ?? 5000));
          continue;
        }
        banner(false);
        await resyncUntilDone();
        return;
      }
    } finally {
      looping = false;
    }
  }

  /** The snapshot after a (re)connect must arrive: a failed one is tried again while the connection holds. */
  async function resyncUntilDone(): Promise<void> {
    for (let attempt = 0; hub.state === HubConnectionState.Connected && !stopped; attempt++) {
      try {
        await resync();
        return;
      } catch (e) {
        showError(t("error", { message: messageOf(e) }));
        await new Promise((r) => setTimeout(r, retryDelays[attempt] ?? 5000));
      }
    }
  }

  async function stop(): Promise<void> {
    stopped = true;
    window.removeEventListener("offline", offline);
    window.removeEventListener("online", online);
    await hub.stop();
  }

  return { hub, start: startLoop, stop };
}

function banner(down: boolean): void {
  let el = document.getElementById("connection-banner");
  if (!el) {
    el = document.createElement("div");
    el.id = "connection-banner";
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
    document.body.prepend(el);
  }
  el.hidden = !down;
  el.textContent = down ? t("conn.lost") : "";
}

/** The highest message sequence seen with none missing before it: what a resync asks to be sent after. */
export function contiguous(seen: Set<number>): number {
  let last = 0;
  while (seen.has(last + 1)) {
    last++;
  }
  return last;
}

/** The message of a hub or HTTP error, for the user. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^.*HubException: /, "");
}
