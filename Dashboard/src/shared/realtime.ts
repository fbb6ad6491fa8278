// A SignalR connection that reconnects on its own for ever, resynchronises after every (re)connect, and shows a
// banner while it is down. It carries the page's token (as access_token on the WebSocket); a connection the server
// refuses for want of a valid token (401) is not tried again: the page is told instead — nor is one refused for a
// reason a retry cannot change (too many connections for the agent), which is shown.
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { showError } from "./dom";
import { t } from "./i18n";

export interface Realtime {
  hub: HubConnection;
  start(): Promise<void>;
  /** Closes the connection for good: no reconnection, no more handlers. */
  stop(): Promise<void>;
}

/** The credential of a connection: read on every (re)connect, so a renewed token is the one sent. */
export interface HubAuth {
  token: () => string | null;
  /** The server refused the token (401): the connection has stopped for good. */
  refused: () => void;
}

const retryDelays = [0, 1000, 2000, 5000];

export function connect(url: string, resync: () => Promise<void>, auth: HubAuth): Realtime {
  const hub = new HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => auth.token() ?? "" })
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
  hub.onclose((error) => {
    if (stopped) {
      return;
    }
    if (permanent(error)) {
      void giveUp(error);
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
        } catch (e) {
          if (unauthorized(e)) {
            await stop();
            banner(false);
            auth.refused();
            return;
          }
          if (permanent(e)) {
            await giveUp(e);
            return;
          }
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

  /** Trying again would be refused the same way (e.g. this agent has too many desks open): say why, once, and stop. */
  async function giveUp(error: unknown): Promise<void> {
    await stop();
    banner(false);
    showError(t("error", { message: messageOf(error) }));
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

/** The negotiation was answered 401: the token is missing, expired or not valid (the client says so in its message). */
function unauthorized(error: unknown): boolean {
  return error instanceof Error && error.message.includes("Status code '401'");
}

/** A refusal of the connection itself that no retry will change until the user acts (closes a tab, signs in again). */
function permanent(error: unknown): boolean {
  return ["too-many-connections", "not-your-agent", "agent-not-found", "invalid-id", "forbidden"].includes(codeOf(error) ?? "");
}

/** The message of a hub or HTTP error, for the user: a hub refusal's detail. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return hubError(error)?.detail ?? text.replace(/^.*HubException: /, "");
}

/** The stable code of a hub refusal or an API problem (contracts.ts ApiError), if it has one. */
export function codeOf(error: unknown): string | null {
  if (error instanceof Error && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return hubError(error)?.code ?? null;
}

/** A hub method's refusal arrives as the JSON {code, field, detail} after "HubException: " (HubErrors on the server). */
function hubError(error: unknown): { code?: string; detail?: string } | null {
  const text = error instanceof Error ? error.message : String(error);
  const at = text.indexOf("HubException: {");
  if (at < 0) {
    return null;
  }
  try {
    return JSON.parse(text.slice(at + "HubException: ".length)) as { code?: string; detail?: string };
  } catch {
    return null; // a HubException of someone else's making: its text is the message
  }
}
