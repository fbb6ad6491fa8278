// The supervisors' dashboard: a row per queue with its live figures and state, an hour of waiting and service
// level per queue in charts (kept by the server, so a reload keeps them), the agents grid, and a queue's
// drill-down with its waiting conversations. Everything arrives over /hubs/supervisor; nothing polls.
import { SupervisorClient } from "routing-client";
import uPlot from "uplot";
import {
  AgentStatus, AgentView, api, QueueInfo, QueueStats, QueueTick, SupervisorSnapshot,
} from "../shared/contracts";
import { byId, el, showError } from "../shared/dom";
import { duration, number, percent, secondsSince, time } from "../shared/format";
import { locale, onLangChange, setUpLanguage, t } from "../shared/i18n";
import { messageOf, pageConnection } from "../shared/realtime";
import { bearer, expire, signIn } from "../shared/session";
import { openFor, renderMonitor, setUpMonitor } from "./monitor";
import { LevelState, renderWallboard, setUpWallboard } from "./wallboard";

const stats = new Map<string, QueueStats>();
const history = new Map<string, QueueTick[]>();
const agents = new Map<string, AgentView>();
const loads = new Map<string, Record<string, number>>();
let definitions: QueueInfo[] = [];
let sort: { key: "name" | "status" | "since" | "occupancy"; descending: boolean } = { key: "name", descending: false };
let drilled: string | null = null;
let drillPending = false;
const hourSeconds = 3600;
let hub: SupervisorClient;
let charts: { waiting: uPlot; sl: uPlot } | null = null; // made once signed in, when the board shows and has its width
let userName: string | null = null; // who the supervisor is, as their notes name them
const me = (): string | null => userName;

setUpLanguage();
onLangChange(() => {
  retitleCharts();
  renderQueues();
  renderWallboard();
  renderQueueFilter();
  renderAgents();
  void renderDrill();
  renderMonitor();
});
main().catch((e) => showError(t("error", { message: messageOf(e) })));

async function main(): Promise<void> {
  userName = (await signIn({ page: "dashboard", roles: ["supervisor", "admin"], devRole: "supervisor" })).userName;
  byId("board").hidden = false;
  charts = { waiting: chart("chart-waiting", "dash.chart.waiting"), sl: chart("chart-sl", "dash.chart.sl", [0, 100]) };
  hub = new SupervisorClient(pageConnection(bearer, expire));
  hub.onSnapshot(applySnapshot);
  setUpMonitor(hub, me);
  setUpWallboard(() => ({
    stats: [...stats.values()].sort((a, b) => a.queueId.localeCompare(b.queueId)),
    definitions,
    level: (s) => levelState(s, definitions.find((q) => q.id === s.queueId)),
  }));
  hub.on("QueueStatsUpdated", (s) => {
    stats.set(s.queueId, s);
    const ticks = history.get(s.queueId) ?? [];
    ticks.push({ at: s.at, waiting: s.waiting, longestWaitSeconds: s.longestWaitSeconds, serviceLevelPercent: s.serviceLevelPercent });
    if (ticks.length > hourSeconds) {
      ticks.splice(0, ticks.length - hourSeconds);
    }
    history.set(s.queueId, ticks);
    if (!definitions.some((q) => q.id === s.queueId)) {
      void defineQueues(); // a queue defined since the dashboard loaded: its name, target and the queue filter's choice
    }
    renderQueue(s);
    renderWallboard();
    if (drilled === s.queueId) {
      void renderDrill();
    }
  });
  hub.on("AgentStatusChanged", (change) => {
    const a = agents.get(change.agentId);
    if (a) {
      agents.set(change.agentId, { ...a, status: change.status, reason: change.reason, statusSince: change.at });
      renderAgents();
    }
  });
  hub.on("AgentLoadsChanged", (changes) => {
    changes.forEach((change) => loads.set(change.agentId, change.inUse));
    renderAgents();
  });
  void hub.start();
  setInterval(() => {
    drawCharts();
    document.querySelectorAll<HTMLElement>("[data-since]").forEach((e) => (e.textContent = duration(secondsSince(e.dataset.since!))));
  }, 1000);
}

let defining: Promise<void> | null = null;

/** The queues' definitions, asked for once however many unknown queues report meanwhile. */
function defineQueues(): Promise<void> {
  defining ??= api<QueueInfo[]>("/api/queues").then((d) => {
    definitions = d;
    renderQueueFilter();
  }).finally(() => (defining = null));
  return defining;
}

/** The snapshot the client took after a (re)connect: the board is made anew from it (monitoring resumes in monitor.ts). */
async function applySnapshot(snapshot: SupervisorSnapshot): Promise<void> {
  await defineQueues();
  stats.clear();
  snapshot.queues.forEach((s) => stats.set(s.queueId, s));
  history.clear();
  Object.entries(snapshot.history).forEach(([queueId, ticks]) => history.set(queueId, ticks));
  agents.clear();
  loads.clear();
  for (const a of snapshot.agents) {
    agents.set(a.agentId, a);
    const load: Record<string, number> = {};
    [...a.assignments, ...a.offers].forEach((x) => (load[x.channel] = (load[x.channel] ?? 0) + 1));
    loads.set(a.agentId, load);
  }
  renderQueues();
  renderAgents();
  drawCharts();
}

// ---- queues -------------------------------------------------------------------------------------------------

function renderQueues(): void {
  const body = byId("queues-body");
  body.replaceChildren(...[...stats.values()].sort((a, b) => a.queueId.localeCompare(b.queueId)).map(row));
  fillMoveTargets();
}

function renderQueue(s: QueueStats): void {
  const existing = document.getElementById(`queue-${s.queueId}`);
  if (existing) {
    existing.replaceWith(row(s));
  } else {
    renderQueues();
  }
}

function row(s: QueueStats): HTMLTableRowElement {
  const definition = definitions.find((q) => q.id === s.queueId);
  const state = levelState(s, definition);
  const open = el("button", { type: "button", class: "link", "aria-label": t("dash.drill", { queue: definition?.name ?? s.queueId }) }, definition?.name ?? s.queueId);
  open.addEventListener("click", () => {
    drilled = s.queueId;
    void renderDrill();
  });
  return el("tr", { id: `queue-${s.queueId}`, "data-queue": s.queueId, class: `state-${state}` },
    el("th", { scope: "row" }, open,
      s.closed ? el("span", { class: "badge idle", "data-field": "closed" }, ` ${t("dash.closed")}`) : ""),
    el("td", { class: "num", "data-field": "waiting" }, number(s.waiting),
      s.unservable > 0 ? el("span", { class: "badge breach", title: t("dash.unservable") }, ` ✖ ${number(s.unservable)}`) : ""),
    // A wait already past the queue's target is flagged: someone is waiting longer than the promise.
    definition && s.longestWaitSeconds > (definition.serviceLevel.targetSeconds ?? 20)
      ? el("td", { class: "num long-wait", "data-field": "longest", title: t("dash.longWait") }, `⚠ ${duration(s.longestWaitSeconds)}`)
      : el("td", { class: "num", "data-field": "longest" }, duration(s.longestWaitSeconds)),
    el("td", { class: "num", "data-field": "agents" }, `${number(s.agentsAvailable)} / ${number(s.agentsBusy)} / ${number(s.agentsAway)} / ${number(s.agentsOffline)}`),
    el("td", { class: "num", "data-field": "sl" },
      el("span", { class: `badge ${state}` }, `${icon(state)} ${percent(s.serviceLevelPercent)} · ${t(`dash.state.${state}`)}`)),
    el("td", { class: "num", "data-field": "asa" }, duration(s.averageSpeedOfAnswerSeconds)),
    el("td", { class: "num", "data-field": "aht" }, duration(s.averageHandleTimeSeconds)),
    el("td", { class: "num", "data-field": "ewt" }, duration(s.estimatedWaitSeconds)),
    el("td", { class: "num", "data-field": "counts" }, `${number(s.offered)} / ${number(s.connected)} / ${number(s.abandoned)}`),
    el("td", { class: "num", "data-field": "self-service" }, `${number(s.deflected ?? 0)} / ${number(s.escalated ?? 0)}`));
}

function levelState(s: QueueStats, definition: QueueInfo | undefined): LevelState {
  if (s.serviceLevelPercent === null) {
    return "idle";
  }
  const target = definition?.serviceLevel.percent ?? 80;
  return s.serviceLevelPercent >= target ? "ok" : s.serviceLevelPercent >= target - 10 ? "risk" : "breach";
}

function icon(state: LevelState): string {
  return { ok: "●", risk: "▲", breach: "✖", idle: "○" }[state];
}

// ---- charts -------------------------------------------------------------------------------------------------

/**
 * A chart of the last hour: time ticks as hours and minutes at least 90 px apart (so they never overlap, whatever the
 * width), a fixed y range where the measure has one (service level: 0–100 %), and the legend showing the latest values
 * unless the pointer is on the chart (see drawCharts).
 */
function chart(id: string, titleKey: string, range?: [number, number]): uPlot {
  const host = byId(id);
  host.dataset.title = titleKey;
  return new uPlot({
    title: t(titleKey),
    width: plotWidth(host),
    height: 200,
    padding: [12, 36, 0, 0], // room on the right for the last time label, which is centred on its tick
    series: [{ label: t("dash.time"), value: (_, v) => (v == null ? "–" : time(new Date(v * 1000))) }],
    axes: [
      // Seconds only when the ticks are less than a minute apart (a dashboard just opened); then hours and minutes.
      { space: 90, values: (_, splits, _axis, _space, incr) => splits.map((s) => (incr < 60 ? time : clock)(new Date(s * 1000))) },
      range ? { size: 56, values: (_, splits) => splits.map((s) => `${s} %`) } : { size: 56 },
    ],
    scales: { x: { time: true }, ...(range ? { y: { range } } : {}) },
  }, [[]], host);
}

/** The width inside the chart's card (its padding taken off), so the plot and its legend stay within the card. */
function plotWidth(host: HTMLElement): number {
  const style = getComputedStyle(host);
  const inner = host.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return Math.max(320, inner || 600);
}

/** Hours and minutes, for a time axis. */
function clock(at: Date): string {
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" }).format(at);
}

/** uPlot draws its title once: a language switch rewrites it. */
function retitleCharts(): void {
  document.querySelectorAll<HTMLElement>(".chart[data-title]").forEach((host) => {
    const title = host.querySelector(".u-title");
    if (title) {
      title.textContent = t(host.dataset.title!);
    }
    const time = host.querySelector(".u-legend .u-series:first-child .u-label");
    if (time) {
      time.textContent = t("dash.time");
    }
  });
}

let drawnQueues = "";

function drawCharts(): void {
  if (!charts) {
    return;
  }
  const queueIds = [...history.keys()].sort();
  const key = queueIds.join(",");
  if (key !== drawnQueues) {
    for (const c of Object.values(charts)) {
      while (c.series.length > 1) {
        c.delSeries(1);
      }
      queueIds.forEach((q, i) => c.addSeries({ label: definitions.find((d) => d.id === q)?.name ?? q, stroke: palette(i), width: 2 }));
    }
    drawnQueues = key;
  }
  // One time axis: every second of the last hour that any queue reported.
  const times = [...new Set(queueIds.flatMap((q) => history.get(q)!.map((x) => Math.floor(new Date(x.at).getTime() / 1000))))].sort((a, b) => a - b);
  const index = new Map(times.map((x, i) => [x, i]));
  const waiting = queueIds.map((q) => column(q, times, index, (x) => x.waiting));
  const level = queueIds.map((q) => column(q, times, index, (x) => x.serviceLevelPercent));
  for (const [c, data] of [[charts.waiting, waiting], [charts.sl, level]] as const) {
    c.setData([times, ...data] as uPlot.AlignedData);
    if (c.cursor.idx == null && times.length > 0) {
      c.setLegend({ idx: times.length - 1 }); // the legend says where each queue stands now
    }
  }
}

/**
 * A queue's values on the common time axis. Queues report at their own instants, so a second another queue reported in
 * may have none from this one: it holds its last report there (a value, or null for "no data"), rather than leave a gap
 * in its line and an empty legend.
 */
function column(queueId: string, times: number[], index: Map<number, number>, value: (x: QueueTick) => number | null): (number | null)[] {
  const reported: (number | null | undefined)[] = new Array(times.length).fill(undefined);
  for (const x of history.get(queueId)!) {
    reported[index.get(Math.floor(new Date(x.at).getTime() / 1000))!] = value(x);
  }
  let last: number | null = null;
  return reported.map((v) => (last = v === undefined ? last : v));
}

function palette(i: number): string {
  return ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7d8c", "#57606a"][i % 8];
}

window.addEventListener("resize", () => {
  if (!charts) {
    return;
  }
  for (const [name, c] of Object.entries(charts)) {
    c.setSize({ width: plotWidth(byId(`chart-${name === "sl" ? "sl" : "waiting"}`)), height: 200 });
  }
});

// ---- agents -------------------------------------------------------------------------------------------------

byId<HTMLInputElement>("agent-search").addEventListener("input", renderAgents);
byId<HTMLSelectElement>("agent-status-filter").addEventListener("change", renderAgents);
byId<HTMLSelectElement>("agent-queue-filter").addEventListener("change", renderAgents);

/** Where an agent stands for a supervisor: Available with a conversation is Busy (as the queues' columns count it). */
type DeskState = AgentStatus | "Busy";
const deskStates: DeskState[] = ["Available", "Busy", "Away", "Offline"];

function deskState(a: AgentView): DeskState {
  const busy = Object.values(loads.get(a.agentId) ?? {}).some((n) => n > 0);
  return a.status === "Available" && busy ? "Busy" : a.status;
}

/** The queue filter's choices follow the queues defined; the one chosen stays chosen. */
function renderQueueFilter(): void {
  const select = byId<HTMLSelectElement>("agent-queue-filter");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "" }, t("dash.allQueues")),
    ...definitions.map((q) => el("option", { value: q.id, selected: q.id === chosen }, q.name)));
}

/**
 * How many of the agents shown (search and queue filter applied) are in each state, with the longest time one of them has
 * been in a status; a state's button shows only those agents (again: all).
 */
function renderByState(agentsShown: AgentView[]): void {
  const filter = byId<HTMLSelectElement>("agent-status-filter");
  byId("agents-by-state").replaceChildren(...deskStates.map((state) => {
    const inState = agentsShown.filter((a) => deskState(a) === state);
    // How long: the status's time, which a busy agent's is not (Busy is Available with a conversation).
    const since = state === "Busy" ? undefined : inState.map((a) => a.statusSince).sort()[0];
    const button = el("button", { type: "button", class: `state-count ${state}`, "data-state": state, "aria-pressed": String(filter.value === state) },
      el("span", { class: `status ${state}` }, t(`status.${state}`)), " ", el("strong", { "data-field": "count" }, String(inState.length)),
      since ? el("span", { class: "muted" }, " · ", t("dash.longestInState"), " ", el("span", { "data-since": since }, duration(secondsSince(since)))) : "");
    button.addEventListener("click", () => {
      filter.value = filter.value === state ? "" : state;
      renderAgents();
    });
    return button;
  }));
}
document.querySelectorAll<HTMLButtonElement>("#agents thead button[data-sort]").forEach((b) => b.addEventListener("click", () => {
  const key = b.dataset.sort as typeof sort.key;
  sort = { key, descending: sort.key === key ? !sort.descending : false };
  renderAgents();
}));

function occupancy(a: AgentView): number {
  const load = loads.get(a.agentId) ?? {};
  const used = Object.values(load).reduce((x, y) => x + y, 0);
  const total = Math.min(a.definition.maxTotal ?? Infinity, Object.values(a.definition.capacity).reduce((x, y) => x + y, 0));
  return total > 0 ? (used / total) * 100 : 0;
}

/** A status a supervisor picked but has not applied yet, per agent: a live update must not reset it. */
const chosen = new Map<string, AgentStatus>();

function renderAgents(): void {
  // The grid is rebuilt on every change; the control that had the keyboard gets it back.
  const focused = document.activeElement?.closest("#agents-body") ? document.activeElement as HTMLElement : null;
  const focusAgent = focused?.closest("tr")?.dataset.agent;
  const focusTag = focused?.tagName.toLowerCase();
  const query = byId<HTMLInputElement>("agent-search").value.trim().toLowerCase();
  const status = byId<HTMLSelectElement>("agent-status-filter").value;
  const queue = byId<HTMLSelectElement>("agent-queue-filter").value;
  const matching = [...agents.values()]
    .filter((a) => !query || a.agentId.toLowerCase().includes(query) || a.definition.name.toLowerCase().includes(query))
    .filter((a) => !queue || a.definition.queues.some((q) => q.queueId === queue));
  renderByState(matching);
  const shown = matching
    .filter((a) => !status || deskState(a) === status)
    .sort((a, b) => {
      const order = sort.key === "name" ? a.definition.name.localeCompare(b.definition.name)
        : sort.key === "status" ? a.status.localeCompare(b.status)
        : sort.key === "since" ? new Date(a.statusSince).getTime() - new Date(b.statusSince).getTime()
        : occupancy(a) - occupancy(b);
      return sort.descending ? -order : order;
    });
  document.querySelectorAll<HTMLElement>("#agents thead th[data-key]").forEach((th) =>
    th.setAttribute("aria-sort", th.dataset.key === sort.key ? (sort.descending ? "descending" : "ascending") : "none"));
  byId("agents-body").replaceChildren(...shown.map((a) => {
    const load = loads.get(a.agentId) ?? {};
    const select = el("select", { "aria-label": `${t("dash.setStatus")}: ${a.definition.name}` },
      ...(["Available", "Away", "Offline"] as AgentStatus[]).map((s) => el("option", { value: s, selected: s === (chosen.get(a.agentId) ?? a.status) }, t(`status.${s}`))));
    select.addEventListener("change", () => chosen.set(a.agentId, select.value as AgentStatus));
    const apply = el("button", { type: "button", "aria-label": `${t("dash.apply")}: ${a.definition.name}` }, t("dash.apply"));
    apply.addEventListener("click", async () => {
      chosen.delete(a.agentId);
      try {
        const view = await hub.invoke("SetAgentStatus", a.agentId, select.value as AgentStatus, select.value === "Away" ? "supervisor" : null);
        agents.set(a.agentId, view);
        renderAgents();
      } catch (e) {
        showError(t("error", { message: messageOf(e) }));
      }
    });
    // The agent's conversations are asked for on the click: the grid's loads may be older than the last accept.
    const monitor = el("button", { type: "button", "data-monitor": a.agentId, "aria-label": `${t("dash.monitor")}: ${a.definition.name}` },
      t("dash.monitor"));
    monitor.addEventListener("click", () => void openFor(a.agentId, a.definition.name, me));
    return el("tr", { "data-agent": a.agentId },
      el("th", { scope: "row" }, `${a.definition.name} `, el("span", { class: "muted" }, a.agentId)),
      el("td", {}, el("span", { class: `status ${a.status}`, "data-field": "status" }, `${t(`status.${a.status}`)}${a.reason ? ` — ${a.reason}` : ""}`)),
      el("td", { class: "num", "data-since": a.statusSince }, duration(secondsSince(a.statusSince))),
      el("td", { "data-field": "load" }, Object.keys(a.definition.capacity).map((ch) => `${ch} ${load[ch] ?? 0}/${a.definition.capacity[ch]}`).join(" · ")),
      el("td", { class: "num" }, percent(occupancy(a))),
      el("td", {}, select, " ", apply, " ", monitor));
  }));
  if (focusAgent && focusTag) {
    document.querySelector<HTMLElement>(`#agents-body tr[data-agent="${CSS.escape(focusAgent)}"] ${focusTag}`)?.focus();
  }
}

// ---- drill-down ---------------------------------------------------------------------------------------------

byId("drill-close").addEventListener("click", () => (byId("drill") as HTMLDialogElement).close());
byId("drill").addEventListener("close", () => (drilled = null)); // also on Escape

function fillMoveTargets(): void {
  const select = byId<HTMLSelectElement>("move-to");
  const chosen = select.value;
  select.replaceChildren(...definitions.filter((q) => q.id !== drilled).map((q) => el("option", { value: q.id }, q.name)));
  if (chosen) {
    select.value = chosen;
  }
}

async function renderDrill(): Promise<void> {
  const dialog = byId("drill") as HTMLDialogElement;
  const queueId = drilled;
  if (!queueId || drillPending) {
    return;
  }
  drillPending = true;
  try {
    const waiting = await hub.invoke("Waiting", queueId);
    if (drilled !== queueId) {
      return; // another queue was chosen meanwhile: its own turn shows it
    }
    byId("drill-title").textContent = t("dash.drill", { queue: definitions.find((q) => q.id === drilled)?.name ?? drilled });
    fillMoveTargets();
    byId("drill-empty").hidden = waiting.length > 0;
    byId("drill-body").replaceChildren(...waiting.map((w) => {
      const move = el("button", { type: "button" }, t("dash.moveButton"));
      move.addEventListener("click", async () => {
        try {
          await hub.invoke("MoveConversation", w.conversationId, byId<HTMLSelectElement>("move-to").value);
          await renderDrill();
        } catch (e) {
          showError(t("error", { message: messageOf(e) }));
        }
      });
      const step = w.skills[w.step];
      return el("tr", { "data-conversation": w.conversationId, class: w.unservable ? "unservable" : "" },
        el("th", { scope: "row" }, w.customerName ?? w.conversationId, w.offering ? el("span", { class: "muted" }, ` (${t("dash.offering")})`) : ""),
        el("td", {}, el("span", { class: `tier tier-${w.tier}` }, w.tier ?? "")),
        el("td", { class: "num", "data-since": w.waitingSince }, duration(secondsSince(w.waitingSince))),
        el("td", {}, step ? `${Object.entries(step.requirements).map(([s, l]) => `${s} ≥ ${l}`).join(", ") || "—"} (${w.step + 1}/${w.skills.length})` : "—"),
        el("td", {}, w.excludedAgents.join(", ") || "—"),
        el("td", {}, w.unservable ? el("span", { class: "badge breach" }, `✖ ${t("dash.unservable")}`) : ""),
        el("td", {}, move));
    }));
    if (!dialog.open) {
      dialog.showModal();
    }
  } catch (e) {
    showError(t("error", { message: messageOf(e) }));
  } finally {
    drillPending = false;
    if (drilled && drilled !== queueId) {
      void renderDrill();
    }
  }
}
