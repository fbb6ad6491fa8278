// A SignalR connection that reconnects on its own for ever, resynchronises after every (re)connect, and shows a
// banner while it is down.
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { t } from "./i18n";

export interface Realtime {
  hub: HubConnection;
  start(): Promise<void>;
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
    await resync();
  });
  // Automatic reconnection gives up when the first attempts fail; keep trying, as a desk must.
  hub.onclose(() => {
    banner(true);
    void startLoop();
  });
  // When the browser says the network is gone, an open WebSocket may linger unnoticed for a while: drop it, say
  // so, and connect afresh (and resynchronise) as soon as the network is back.
  window.addEventListener("offline", () => {
    banner(true);
    void hub.stop();
  });
  window.addEventListener("online", () => void startLoop());

  let looping = false;
  async function startLoop(): Promise<void> {
    if (looping) {
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
          banner(false);
          await resync();
          return;
        } catch {
          await new Promise((r) => setTimeout(r, retryDelays[attempt] ?? 5000));
        }
      }
    } finally {
      looping = false;
    }
  }

  return { hub, start: startLoop };
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

/** The message of a hub or HTTP error, for the user. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^.*HubException: /, "");
}
