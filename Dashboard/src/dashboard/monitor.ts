// The dashboard's monitor (docs/supervision.md): from an agent's row, a supervisor opens one of the agent's live
// conversations. Its transcript streams in read-only, with the internal notes marked; the supervisor can whisper to the
// agent alone, barge in, and once joined write to the customer. After a reconnect the client monitors the conversation
// again and it is shown whole, so nothing said meanwhile is missed; its messages come once and in order.
import type { SupervisorClient } from "routing-client";
import { AgentResource, api, ConversationView, TranscriptMessage } from "../shared/contracts";
import { byId, el, showError } from "../shared/dom";
import { duration, secondsSince, time } from "../shared/format";
import { t } from "../shared/i18n";
import { merged, noteLine, withNote } from "../shared/notes";
import { messageOf } from "../shared/realtime";

let hub: SupervisorClient;
let view: ConversationView | null = null;
let joined = false;

export function setUpMonitor(client: SupervisorClient, me: () => string | null): void {
  hub = client;
  hub.onMessage((conversationId) => {
    if (view?.conversationId === conversationId) {
      view = { ...view, transcript: [...hub.transcript(conversationId)] };
      renderMonitor();
    }
  });
  // Monitored again after a reconnect: shown whole; or, ended meanwhile, said so.
  hub.onMonitored((v) => {
    if (view?.conversationId === v.conversationId) {
      show(v, me);
    }
  });
  hub.onMonitorLost((conversationId, error) => {
    if (view?.conversationId === conversationId) {
      showError(t("error", { message: messageOf(error) }));
    }
  });
  hub.on("MonitoredNote", (conversationId, note) => {
    if (view?.conversationId === conversationId) {
      view = { ...view, notes: withNote(view.notes ?? [], note) };
      joined ||= note.kind === "barge-in" && note.by === me();
      renderMonitor();
    }
  });
  hub.on("MonitoredChange", (conversationId, state, agentId) => {
    if (view?.conversationId === conversationId) {
      view = { ...view, state, agentId };
      renderMonitor();
    }
  });
  const dialog = byId<HTMLDialogElement>("monitor");
  byId("monitor-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => void stop());
  const text = byId<HTMLInputElement>("monitor-text");
  byId("monitor-whisper").addEventListener("click", () => void act(async (id) => {
    await hub.invoke("Whisper", id, text.value.trim());
    text.value = "";
  }, text.value.trim() !== ""));
  byId("monitor-barge").addEventListener("click", () => void act(async (id) => {
    show(await hub.invoke("BargeIn", id), me);
    joined = true; // whatever name the credential gives the supervisor
    renderMonitor();
  }));
  byId("monitor-compose").addEventListener("submit", (event) => {
    event.preventDefault();
    void act(async (id) => {
      await hub.invoke("SendMessage", id, text.value.trim());
      text.value = "";
    }, text.value.trim() !== "" && joined);
  });
}

/** From an agent's row: the agent's live conversations to pick from, or the one it holds opened at once. */
export async function openFor(agentId: string, agentName: string, me: () => string | null): Promise<void> {
  const dialog = byId<HTMLDialogElement>("monitor");
  try {
    const agent = await api<AgentResource>(`/api/agents/${encodeURIComponent(agentId)}`);
    const live = agent.assignments.filter((a) => a.state === "Connected" || a.state === "WrapUp");
    await stop();
    byId("monitor-title").textContent = t("dash.monitorPick", { agent: agentName });
    byId("monitor-state").textContent = live.length === 0 ? t("dash.noLive") : "";
    byId("monitor-transcript").replaceChildren();
    byId("monitor-compose").hidden = true;
    byId("monitor-pick").replaceChildren(...live.map((a) => {
      const open = el("button", { type: "button", "data-conversation": a.conversationId },
        `${a.channel} · ${a.queueId} · `, el("span", { "data-since": a.since }, duration(secondsSince(a.since))));
      open.addEventListener("click", () => void start(a.conversationId, me));
      return el("li", {}, open);
    }));
    if (!dialog.open) {
      dialog.showModal();
    }
    if (live.length === 1) {
      await start(live[0].conversationId, me);
    }
  } catch (e) {
    showError(t("error", { message: messageOf(e) }));
  }
}

async function start(conversationId: string, me: () => string | null): Promise<void> {
  try {
    if (view && view.conversationId !== conversationId) {
      await stop();
    }
    show(await hub.monitor(conversationId), me);
    byId("monitor-pick").replaceChildren();
    byId("monitor-compose").hidden = false;
  } catch (e) {
    showError(t("error", { message: messageOf(e) }));
  }
}

function show(v: ConversationView, me: () => string | null): void {
  view = v;
  joined = (v.notes ?? []).some((n) => n.kind === "barge-in" && n.by === me());
  renderMonitor();
}

async function stop(): Promise<void> {
  const id = view?.conversationId;
  view = null;
  joined = false;
  if (id) {
    await hub.stopMonitoring(id).catch(() => undefined); // gone with the connection anyway
  }
}

async function act(step: (conversationId: string) => Promise<void>, allowed = true): Promise<void> {
  if (!view || !allowed) {
    return;
  }
  try {
    await step(view.conversationId);
  } catch (e) {
    showError(t("error", { message: messageOf(e) }));
  }
}

/** Draws the conversation being monitored, if any (also on a language switch). */
export function renderMonitor(): void {
  if (!view) {
    return;
  }
  const v = view;
  byId("monitor-title").textContent = t("dash.monitorTitle", { customer: v.customer.name ?? v.customer.id, queue: v.queueId });
  byId("monitor-state").textContent = t("dash.monitorState", { state: t(`state.${v.state}`), agent: v.agentId ?? "—" });
  byId("monitor-transcript").replaceChildren(...merged(v.transcript, v.notes ?? []).map((e) => "note" in e
    ? noteLine(e.note)
    : el("li", { class: `message ${e.message.from}`, "data-sequence": String(e.message.sequence) },
      el("span", { class: "who" }, who(e.message, v)),
      el("span", { class: "text" }, e.message.text),
      el("time", { datetime: e.message.at }, time(e.message.at)))));
  const live = v.state === "Connected";
  byId<HTMLButtonElement>("monitor-whisper").disabled = !live;
  byId<HTMLButtonElement>("monitor-barge").disabled = !live || joined;
  byId<HTMLButtonElement>("monitor-send").disabled = !live || !joined;
}

function who(m: TranscriptMessage, v: ConversationView): string {
  switch (m.from) {
    case "customer":
      return v.customer.name ?? t("desk.customerSays");
    case "agent":
      return m.agentId ?? t("chat.agent");
    case "supervisor":
      return t("desk.supervisor", { name: m.agentId ?? "" });
    default:
      return t("chat.assistant");
  }
}
