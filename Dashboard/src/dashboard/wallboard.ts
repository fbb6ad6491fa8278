// The wallboard: the dashboard on a screen on the wall — one queue at a time in large figures (waiting, longest wait,
// service level with its state, agents available, estimated wait), the next one every ten seconds, the queues in order
// of urgency (a wait past its target, then a service level below it, then at risk; the longest wait first), full screen
// when the browser allows it. Escape or the button leaves it. The figures are the dashboard's own, updated as they arrive.
import type { QueueInfo, QueueStats } from "../shared/contracts";
import { byId, el } from "../shared/dom";
import { duration, number, percent } from "../shared/format";
import { t } from "../shared/i18n";

export type LevelState = "ok" | "risk" | "breach" | "idle";

const rotateEveryMs = 10_000;
let on = false;
let shown = 0;
let timer: ReturnType<typeof setInterval> | undefined;
let source: () => { stats: QueueStats[]; definitions: QueueInfo[]; level: (s: QueueStats) => LevelState };

export function setUpWallboard(figures: typeof source): void {
  source = figures;
  byId("wallboard-toggle").addEventListener("click", () => (on ? leave() : enter()));
  document.addEventListener("keydown", (event) => {
    if (on && event.key === "Escape") {
      leave();
    }
  });
}

function enter(): void {
  on = true;
  shown = 0;
  document.body.classList.add("wallboard-on");
  byId("wallboard").hidden = false;
  byId("wallboard-toggle").setAttribute("aria-pressed", "true");
  document.documentElement.requestFullscreen?.().catch(() => undefined); // a kiosk may not allow it: the board still fills the page
  timer = setInterval(() => {
    shown++;
    renderWallboard();
  }, rotateEveryMs);
  renderWallboard();
}

function leave(): void {
  on = false;
  clearInterval(timer);
  document.body.classList.remove("wallboard-on");
  byId("wallboard").hidden = true;
  byId("wallboard-toggle").setAttribute("aria-pressed", "false");
  if (document.fullscreenElement) {
    void document.exitFullscreen().catch(() => undefined);
  }
}

/** The queue on the board now, with its latest figures; called as figures arrive and at each turn. */
export function renderWallboard(): void {
  if (!on) {
    return;
  }
  const { definitions, level } = source();
  const target = (s: QueueStats) => definitions.find((d) => d.id === s.queueId)?.serviceLevel.targetSeconds ?? 20;
  const urgency = (s: QueueStats) =>
    (s.longestWaitSeconds > target(s) ? 0 : 4) + ({ breach: 0, risk: 1, ok: 2, idle: 3 } as const)[level(s)];
  const stats = [...source().stats].sort((a, b) => urgency(a) - urgency(b) || b.longestWaitSeconds - a.longestWaitSeconds);
  const board = byId("wallboard");
  if (stats.length === 0) {
    board.replaceChildren(el("p", { class: "muted" }, t("dash.none")));
    return;
  }
  const s = stats[shown % stats.length];
  const definition = definitions.find((d) => d.id === s.queueId);
  const state = level(s);
  const long = definition !== undefined && s.longestWaitSeconds > (definition.serviceLevel.targetSeconds ?? 20);
  const figure = (label: string, value: string, cls = "") =>
    el("div", { class: `figure ${cls}` }, el("span", { class: "value" }, value), el("span", { class: "label" }, label));
  board.replaceChildren(
    el("h2", { "data-queue": s.queueId }, definition?.name ?? s.queueId, s.closed ? el("span", { class: "badge idle" }, ` ${t("dash.closed")}`) : ""),
    el("p", { class: "muted" }, t("dash.wallboardTurn", { n: (shown % stats.length) + 1, of: stats.length })),
    el("div", { class: "figures" },
      figure(t("dash.waiting"), number(s.waiting), s.waiting > 0 && state === "breach" ? "breach" : ""),
      figure(t("dash.longest"), duration(s.longestWaitSeconds), long ? "breach" : ""),
      figure(`${t("dash.sl")} · ${t(`dash.state.${state}`)}`, percent(s.serviceLevelPercent), state),
      figure(t("dash.available"), number(s.agentsAvailable)),
      figure(t("dash.ewt"), duration(s.estimatedWaitSeconds))));
}
