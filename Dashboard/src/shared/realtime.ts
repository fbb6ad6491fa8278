// How the pages use the TypeScript client (Api/routing-client-ts, the package `routing-client`): the connection carries
// the page's token, reconnects for ever and resynchronises on its own; the page adds what a person sees — a banner
// while the connection is down, the sign-in form again when the server refuses the token, and a refusal no retry
// changes (too many desks open for the agent) said once.
import { messageOf, type RealtimeOptions } from "routing-client";
import { showError } from "./dom";
import { t } from "./i18n";

export { codeOf, messageOf } from "routing-client";

/** A hub client's options for a page: its token (read on every connect), and what to do when the token is refused. */
export function pageConnection(token: () => string | null, refused: () => void): RealtimeOptions {
  return {
    accessToken: token,
    onConnectionChange: (connected) => banner(!connected),
    onRefused: () => {
      banner(false);
      refused();
    },
    onStopped: (error) => {
      banner(false);
      showError(t("error", { message: messageOf(error) }));
    },
    onResyncFailed: (error) => showError(t("error", { message: messageOf(error) })),
  };
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
