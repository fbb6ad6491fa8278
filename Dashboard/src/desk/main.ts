// The agent desk: status with a reason, offers as prominent cards with a countdown, conversations as tabs with
// their transcript and the customer's details, messages with canned replies from the knowledge base and the agent's
// own saved replies (canned.ts),
// completion with a disposition, transfers. It resynchronises from the server's snapshot after every (re)connect
// without losing or repeating a message.
import {
  AgentConversation, AgentResource, AgentSnapshot, AgentStatus, AgentView, api, ApiError, ConversationState, OfferNotice, QueueInfo,
  TranscriptMessage,
} from "../shared/contracts";
import { AgentClient } from "routing-client";
import { byId, el, showError } from "../shared/dom";
import { duration, secondsSince, time } from "../shared/format";
import { onLangChange, setUpLanguage, t } from "../shared/i18n";
import { messageOf, pageConnection } from "../shared/realtime";
import { merged, noteLine, withNote } from "../shared/notes";
import { bearer, expire, signIn, signOut } from "../shared/session";
import { CannedReplies, isSearchShortcut } from "./canned";
import { customerDetails, forgetCustomers } from "./customer";

/**
 * A conversation the agent holds; its transcript is the client's (each message once, in order). <code>readUpTo</code> is
 * the last message's sequence when the tab was last on screen (or first drawn): the customer's messages after it are
 * unread, however they came — pushed, or in a snapshot taken while they were on their way.
 */
interface Tab { conversation: AgentConversation; state: ConversationState; readUpTo: number }

let realtime: AgentClient;
let agent: AgentView | null = null;
const tabs = new Map<string, Tab>();
let selected: string | null = null;
let queues: QueueInfo[] = [];
let agents: AgentResource[] = [];
// What the agent has typed but not sent, per conversation: a re-render must not lose it.
const drafts = new Map<string, { message: string; disposition: string }>();
const canned = new CannedReplies();

setUpLanguage();
onLangChange(renderAll);
main().catch((e) => showError(t("error", { message: messageOf(e) })));

async function main(): Promise<void> {
  const { agentId } = await signIn({ page: "desk", roles: ["agent"], devRole: "agent" });
  // The account's agent must exist here: say so, rather than have the hub refuse the desk for ever.
  try {
    await api(`/api/agents/${encodeURIComponent(agentId!)}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      signOut({ key: "desk.unknownAgent", vars: { agent: agentId! } });
      return;
    }
    throw e;
  }
  byId("desk").hidden = false;
  [queues, agents] = await Promise.all([
    api<QueueInfo[]>("/api/queues"), api<AgentResource[]>("/api/agents"), canned.load(agentId!),
  ]);
  realtime = new AgentClient(pageConnection(bearer, expire)); // the agent is the token's own
  realtime.onSnapshot(applySnapshot);
  // Each offer announced once (a tone, a notification), also one made while the desk was disconnected.
  realtime.onOffer(announce);
  realtime.on("OfferReceived", renderOffers);
  realtime.on("OfferEnded", renderOffers);
  realtime.on("AssignmentChanged", async (conversationId, state) => {
    if (state === "Connected" && !tabs.has(conversationId)) {
      await resync(); // brings the conversation with its customer and transcript
    } else if (state === "Connected" || state === "WrapUp") {
      const tab = tabs.get(conversationId);
      if (tab) {
        tab.state = state;
      }
      if (state === "WrapUp" && tab && !tab.conversation.wrapUpEndsAt) {
        await resync(); // completed elsewhere (another tab, the REST API): the snapshot says when the wrap-up ends
        return;
      }
      renderTabs();
    } else {
      tabs.delete(conversationId);
      renderTabs();
    }
  });
  realtime.onMessage((conversationId, _message, live) => {
    if (live) {
      customerTyping.delete(conversationId); // what was typed has arrived
    }
    deliver(conversationId, live);
  });
  realtime.on("CustomerTyping", (conversationId) => {
    customerTyping.set(conversationId, Date.now() + typingShownMs);
    showTyping();
    setTimeout(showTyping, typingShownMs + 50);
  });
  // A supervisor's whisper or barge-in (docs/supervision.md): internal, shown among the messages, marked so.
  realtime.on("NoteReceived", (conversationId, note) => {
    const tab = tabs.get(conversationId);
    if (tab) {
      tab.conversation.notes = withNote(tab.conversation.notes ?? [], note);
      renderTabs();
    }
  });
  realtime.on("StatusChanged", (status, reason) => {
    if (agent) {
      agent = { ...agent, status, reason, statusSince: new Date().toISOString() };
      renderStatus();
    }
  });
  await realtime.start();
  setInterval(tick, 1000);
}

/** A fresh snapshot, when something the pushes do not carry has changed (a conversation joined, a wrap-up's end). */
async function resync(): Promise<void> {
  try {
    await realtime.resync();
  } catch (e) {
    showError(t("error", { message: messageOf(e) }));
  }
}

/** The snapshot the client took (after every reconnect, and on resync()): the desk's state is made anew from it. */
function applySnapshot(snapshot: AgentSnapshot): void {
  agent = snapshot.agent;
  const held = new Set(snapshot.conversations.map((c) => c.conversationId));
  for (const id of [...tabs.keys()]) {
    if (!held.has(id)) {
      tabs.delete(id);
    }
  }
  forgetCustomers(held);
  for (const c of snapshot.conversations) {
    const tab = tabs.get(c.conversationId) ?? { conversation: c, state: c.state, readUpTo: lastSequence(c.conversationId) };
    tab.conversation = { ...c, transcript: [...realtime.transcript(c.conversationId)] };
    tab.state = snapshot.agent.assignments.find((a) => a.conversationId === c.conversationId)?.state ?? c.state;
    tabs.set(c.conversationId, tab);
  }
  if (!selected || !tabs.has(selected)) {
    selected = tabs.keys().next().value ?? null;
  }
  renderAll();
}

/** A message the client handed on (once, in order); a snapshot's (not live) are drawn with the snapshot. */
function deliver(conversationId: string, live: boolean): void {
  const tab = tabs.get(conversationId);
  if (!tab || !live) {
    return;
  }
  tab.conversation.transcript = [...realtime.transcript(conversationId)];
  renderTabs();
}

function lastSequence(conversationId: string): number {
  return realtime.transcript(conversationId).at(-1)?.sequence ?? 0;
}

function renderAll(): void {
  renderStatus();
  renderOffers();
  renderTabs();
}

function renderStatus(): void {
  if (!agent) {
    return;
  }
  byId("agent-name").textContent = `${agent.definition.name} (${agent.agentId})`;
  const status = byId<HTMLSelectElement>("status");
  if (document.activeElement !== status) {
    status.value = agent.status;
  }
  byId("status-now").textContent = `${t(`status.${agent.status}`)}${agent.reason ? ` — ${agent.reason}` : ""}`;
  byId("status-now").dataset.status = agent.status;
}

byId<HTMLFormElement>("status-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = byId<HTMLSelectElement>("status").value as AgentStatus;
  const reason = byId<HTMLInputElement>("reason").value.trim() || null;
  if (status === "Available") {
    askToNotifyOnce();
  }
  try {
    agent = await realtime.invoke("SetStatus", status, reason);
    renderStatus();
  } catch (e) {
    showError(t("error", { message: messageOf(e) }));
  }
});

function renderOffers(): void {
  const list = byId("offers");
  list.replaceChildren(...(realtime?.offers ?? []).map((o) => {
    const accept = el("button", { type: "button", class: "primary" }, t("desk.accept"));
    const decline = el("button", { type: "button" }, t("desk.decline"));
    accept.addEventListener("click", () => answer(o.conversationId, "accept"));
    decline.addEventListener("click", () => answer(o.conversationId, "decline"));
    return el("article", { class: "offer", "data-conversation": o.conversationId },
      el("h3", {}, t("desk.offer")),
      el("p", { class: "customer" }, o.customerName ?? o.conversationId, " ", el("span", { class: `tier tier-${o.tier}` }, o.tier)),
      el("p", {}, `${o.channel} · ${queueName(o.queueId)} · `, el("span", { class: "waited", "aria-live": "off", "data-since": o.waitingSince }, t("desk.waited", { wait: duration(secondsSince(o.waitingSince)) }))),
      el("p", { class: "countdown", "aria-live": "off", "data-expires": o.expiresAt }, countdown(o.expiresAt)),
      el("div", { class: "actions" }, accept, decline),
      el("p", { class: "muted shortcut" }, t("desk.offerKeys")));
  }));
}

// Alt+A accepts the oldest offer, Alt+D declines it, wherever the focus is (an agent typing a reply need not reach for
// the mouse when an offer arrives).
document.addEventListener("keydown", (event) => {
  const first = realtime?.offers[0];
  if (!first || !event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  const key = event.key.toLowerCase();
  if (key === "a" || event.code === "KeyA") {
    event.preventDefault();
    void answer(first.conversationId, "accept");
  } else if (key === "d" || event.code === "KeyD") {
    event.preventDefault();
    void answer(first.conversationId, "decline");
  }
});

/**
 * An offer arrived: a short tone, and — if the agent allowed it, and the desk is not the window in front — a desktop
 * notification. The permission is asked once, when the agent first makes themselves available (a click, as browsers want).
 */
function announce(offer: OfferNotice): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.15);
    tone.onended = () => void audio.close();
  } catch {
    // no sound on this machine: the card is there
  }
  if ("Notification" in window && Notification.permission === "granted" && document.hidden) {
    new Notification(t("desk.offer"), { body: `${offer.customerName ?? ""} · ${offer.channel} · ${queueName(offer.queueId)}`, tag: offer.conversationId });
  }
}

function askToNotifyOnce(): void {
  if ("Notification" in window && Notification.permission === "default" && !localStorage.getItem("routing.desk.notify-asked")) {
    localStorage.setItem("routing.desk.notify-asked", "1");
    void Notification.requestPermission();
  }
}

async function answer(conversationId: string, choice: "accept" | "decline"): Promise<void> {
  try {
    await (choice === "accept" ? realtime.accept(conversationId) : realtime.decline(conversationId));
    if (choice === "accept") {
      selected = conversationId;
      await resync();
    } else {
      renderOffers();
    }
  } catch (e) {
    renderOffers(); // refused or not, the client holds the offer no more
    showError(t("error", { message: messageOf(e) }));
  }
}

function renderTabs(): void {
  const bar = byId("tabs");
  const panels = byId("panels");
  // A message arriving rebuilds the panel: whoever was typing in it keeps the focus and the caret.
  const focused = document.activeElement;
  const typing = focused instanceof HTMLElement && focused.id && panels.contains(focused) ? focused : null;
  const caret = typing instanceof HTMLInputElement ? [typing.selectionStart, typing.selectionEnd] : null;
  byId("empty").hidden = tabs.size > 0;
  const shown = selected ? tabs.get(selected) : undefined;
  if (shown && !document.hidden) {
    shown.readUpTo = lastSequence(shown.conversation.conversationId); // the conversation on screen is read
  }
  bar.replaceChildren(...[...tabs.values()].map(({ conversation: c, state, readUpTo }) => {
    const unread = c.transcript.filter((m) => m.from !== "agent" && m.sequence > readUpTo).length;
    const button = el("button", {
      type: "button", role: "tab", id: `tab-${c.conversationId}`, "aria-selected": String(c.conversationId === selected),
      "aria-controls": `panel-${c.conversationId}`, class: state === "WrapUp" ? "wrapup" : "",
    }, c.customer.name ?? c.customer.id,
    unread > 0 ? el("span", { class: "unread", "data-field": "unread", "aria-label": t("desk.unread", { count: unread }) }, String(unread)) : null);
    button.tabIndex = c.conversationId === selected ? 0 : -1;
    button.addEventListener("click", () => {
      selected = c.conversationId;
      renderTabs();
    });
    return button;
  }));
  bar.setAttribute("aria-label", t("desk.conversations"));
  const tab = selected ? tabs.get(selected) : undefined;
  panels.replaceChildren(tab ? panel(tab) : "");
  if (tab?.state !== "Connected") {
    canned.close(); // no reply box to insert into
  }
  const again = typing && document.getElementById(typing.id);
  if (again && document.activeElement !== again) {
    again.focus();
    if (again instanceof HTMLInputElement && caret && caret[0] !== null && caret[1] !== null) {
      again.setSelectionRange(caret[0], caret[1]);
    }
  }
}

// Ctrl+K (⌘K on a Mac) anywhere on the desk while a conversation is open for replies: search the canned replies.
document.addEventListener("keydown", (event) => {
  if (isSearchShortcut(event) && canned.openSearch()) {
    event.preventDefault();
  }
});

// The tab list's keys, as a tab list has them: arrows move between conversations, Home and End to the ends.
byId("tabs").addEventListener("keydown", (event) => {
  const ids = [...tabs.keys()];
  const at = selected ? ids.indexOf(selected) : -1;
  const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: ids.length - 1 }[event.key];
  if (next === undefined || ids.length === 0) {
    return;
  }
  event.preventDefault();
  selected = ids[(next + ids.length) % ids.length];
  renderTabs();
  document.getElementById(`tab-${selected}`)?.focus();
});

function who(m: TranscriptMessage, c: AgentConversation): string {
  switch (m.from) {
    case "agent":
      return t("desk.you");
    case "bot":
      return t("chat.assistant");
    case "supervisor":
      return t("desk.supervisor", { name: m.agentId ?? "" });
    default:
      return c.customer.name ?? t("desk.customerSays");
  }
}

function panel({ conversation: c, state }: Tab): HTMLElement {
  const transcript = el("ol", { class: "transcript", "aria-live": "polite" },
    ...merged(c.transcript, c.notes ?? []).map((e) => "note" in e ? noteLine(e.note) : el("li", { class: `message ${e.message.from}`, "data-sequence": String(e.message.sequence) },
      el("span", { class: "who" }, who(e.message, c)),
      el("span", { class: "text" }, e.message.text),
      el("time", { datetime: e.message.at }, time(e.message.at)))));
  const draft = drafts.get(c.conversationId) ?? { message: "", disposition: "" };
  drafts.set(c.conversationId, draft);
  const message = el("input", { id: "message", name: "message", autocomplete: "off", "aria-label": t("desk.message"), placeholder: t("desk.message") });
  message.value = draft.message;
  message.addEventListener("input", () => {
    draft.message = message.value;
    // The customer sees the agent typing: said at most every three seconds, while there is something typed.
    const now = Date.now();
    if (message.value.trim() && now - (typingSent.get(c.conversationId) ?? 0) > typingEveryMs) {
      typingSent.set(c.conversationId, now);
      realtime.invoke("Typing", c.conversationId).catch(() => undefined); // a hint, not a step
    }
  });
  const compose = el("form", { class: "compose" }, message, el("button", { type: "submit", class: "primary" }, t("desk.send")));
  if (state === "Connected") {
    const lastCustomerText = [...c.transcript].reverse().find((m) => m.from === "customer")?.text ?? null;
    canned.mount(message, {
      conversationId: c.conversationId, customerName: c.customer.name, agentName: agent?.definition.name ?? "", lastCustomerText,
    });
  }
  compose.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = message.value.trim();
    if (!text) {
      return;
    }
    try {
      await realtime.sendMessage(c.conversationId, text); // the client hands the message sent on like any other
      draft.message = "";
      (document.getElementById("message") as HTMLInputElement | null)?.focus();
    } catch (e) {
      showError(t("error", { message: messageOf(e) }));
    }
  });

  // A queue that lists disposition codes offers them (docs/conversations.md, "Disposition codes"); otherwise free text.
  const codes = queues.find((q) => q.id === c.queueId)?.dispositionCodes ?? [];
  const disposition: HTMLInputElement | HTMLSelectElement = codes.length > 0
    ? el("select", { id: "disposition", name: "disposition", "aria-label": t("desk.disposition") },
      el("option", { value: "" }, t("desk.noDisposition")),
      ...codes.map((code) => el("option", { value: code.code }, code.name)))
    : el("input", { id: "disposition", name: "disposition", "aria-label": t("desk.disposition"), placeholder: t("desk.disposition") });
  disposition.value = draft.disposition;
  disposition.addEventListener("input", () => (draft.disposition = disposition.value));
  const complete = el("form", { class: "complete" }, disposition, el("button", { type: "submit" }, t("desk.complete")));
  complete.addEventListener("submit", async (event) => {
    event.preventDefault();
    await act(() => realtime.invoke("Complete", c.conversationId, disposition.value.trim() || null));
  });

  // A transfer's reason goes ahead of it as a private note, which the next agent reads with the conversation.
  const reason = el("input", { id: "transfer-reason", maxlength: "500", "aria-label": t("desk.transferReason"), placeholder: t("desk.transferReason") });
  const withReason = async (transfer: () => Promise<unknown>): Promise<void> => {
    const why = reason.value.trim();
    if (why) {
      await realtime.invoke("AddNote", c.conversationId, why);
    }
    await transfer();
  };
  const toQueue = el("select", { id: "transfer-queue", "aria-label": t("desk.transferQueue") },
    ...queues.filter((q) => q.id !== c.queueId).map((q) => el("option", { value: q.id }, q.name)));
  const queueForm = el("form", { class: "transfer", hidden: toQueue.options.length === 0 }, el("label", { for: "transfer-queue" }, t("desk.transferQueue")), toQueue,
    el("button", { type: "submit" }, t("desk.transfer")));
  queueForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    await act(() => withReason(() => realtime.invoke("TransferToQueue", c.conversationId, toQueue.value)));
  });

  const colleagues = agents.filter((a) => a.id !== agent?.agentId && a.queues.some((q) => q.queueId === c.queueId));
  const toAgent = el("select", { id: "transfer-agent", "aria-label": t("desk.transferAgent") },
    ...colleagues.map((a) => el("option", { value: a.id }, a.name)));
  const agentForm = el("form", { class: "transfer", hidden: toAgent.options.length === 0 }, el("label", { for: "transfer-agent" }, t("desk.transferAgent")), toAgent,
    el("button", { type: "submit" }, t("desk.transfer")));
  agentForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    await act(() => withReason(() => realtime.invoke("TransferToAgent", c.conversationId, toAgent.value)));
  });

  const connected = state === "Connected";
  return el("section", { role: "tabpanel", id: `panel-${c.conversationId}`, "aria-labelledby": `tab-${c.conversationId}`, class: "panel" },
    customerDetails(c, queueName, realtime, renderTabs),
    el("div", { class: "conversation" }, transcript,
      el("p", { class: "typing muted", "data-typing": c.conversationId, hidden: (customerTyping.get(c.conversationId) ?? 0) <= Date.now(), "aria-live": "polite" },
        t("desk.typing", { name: c.customer.name ?? t("desk.customerSays") })),
      connected
        ? el("div", { class: "reply" }, compose, canned.root, canned.hint, canned.saver)
        : state === "WrapUp" && c.wrapUpEndsAt ? wrapUp(c.conversationId, c.wrapUpEndsAt)
          : el("p", { class: "ended" }, t("desk.ended", { state: t(`state.${state}`) })),
      connected ? el("div", { class: "tools" }, complete, reason, queueForm, agentForm) : ""));
}

/** The wrap-up under way: its countdown (kept by tick) and a button to finish it early (docs/conversations.md). */
function wrapUp(conversationId: string, endsAt: string): HTMLElement {
  const finish = el("button", { type: "button", class: "primary" }, t("desk.finishWrapUp"));
  finish.addEventListener("click", () => act(() => realtime.invoke("FinishWrapUp", conversationId)));
  return el("div", { class: "wrapup-bar", role: "status" },
    el("span", { "data-wrapup-ends": endsAt }, wrapUpLeft(endsAt)), finish);
}

function wrapUpLeft(endsAt: string): string {
  return t("desk.wrapUpLeft", { seconds: Math.max(0, Math.ceil(-secondsSince(endsAt))) });
}

async function act(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
    await resync();
  } catch (e) {
    showError(t("error", { message: messageOf(e) }));
  }
}

/** Until when each conversation's customer is shown typing (ms); and when the agent last said they were typing. */
const customerTyping = new Map<string, number>();
const typingSent = new Map<string, number>();
const typingShownMs = 4000;
const typingEveryMs = 3000;

function showTyping(): void {
  const now = Date.now();
  document.querySelectorAll<HTMLElement>("[data-typing]").forEach((e) => (e.hidden = (customerTyping.get(e.dataset.typing!) ?? 0) <= now));
}

function tick(): void {
  showTyping();
  document.querySelectorAll<HTMLElement>("[data-expires]").forEach((e) => (e.textContent = countdown(e.dataset.expires!)));
  document.querySelectorAll<HTMLElement>("[data-wrapup-ends]").forEach((e) => (e.textContent = wrapUpLeft(e.dataset.wrapupEnds!)));
  document.querySelectorAll<HTMLElement>("[data-since]").forEach((e) =>
    (e.textContent = t("desk.waited", { wait: duration(secondsSince(e.dataset.since!)) })));
}

function countdown(expiresAt: string): string {
  return t("desk.expiresIn", { seconds: Math.max(0, Math.ceil(-secondsSince(expiresAt))) });
}

function queueName(queueId: string): string {
  return queues.find((q) => q.id === queueId)?.name ?? queueId;
}
