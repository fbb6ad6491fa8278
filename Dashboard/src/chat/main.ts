// The customer chat widget: name and topic, then — where the topic's queue has a self-service step — the assistant's
// answers, each of which the customer can take as solving their question, with a person one click away; then the place
// in line and estimated wait, then the agent and the conversation, then a 1–5 rating. The visitor signs in to nothing: starting a chat (POST /api/chat/conversations)
// answers the conversation's customer token, which the hub connection carries. That token lasts half an hour, so
// while the conversation lives the widget renews it over the hub (on every connect and every ten minutes). The
// conversation's id and latest token are kept in this browser, so a reload continues the same conversation; a
// token the server no longer takes starts the widget afresh.
import { CustomerClient } from "routing-client";
import { api, ApiError, ChatTopic, ConversationResource, CustomerSnapshot, TranscriptMessage } from "../shared/contracts";
import { byId, el, showError } from "../shared/dom";
import { duration, time, when } from "../shared/format";
import { lang, onLangChange, setUpLanguage, t } from "../shared/i18n";
import { codeOf, messageOf, pageConnection } from "../shared/realtime";

interface Saved { id: string; token: string; name: string }

const storageKey = "routing.chat";
const renewEveryMs = 10 * 60 * 1000;
const view = {
  start: byId<HTMLFormElement>("start"),
  self: byId<HTMLElement>("self"),
  waiting: byId<HTMLElement>("waiting"),
  talk: byId<HTMLElement>("talk"),
  rate: byId<HTMLElement>("rate"),
  left: byId<HTMLElement>("left"),
};
/** The message left for a closed topic's opening, while its thanks are shown. */
let left: { opensAt: string | null } | null = null;
let realtime: CustomerClient | null = null;
let saved: Saved | null = null;
let snapshot: CustomerSnapshot | null = null;
/**
 * Settled once the conversation's connection has first answered its snapshot: a message the customer sends before that
 * (typed while the widget connects) waits for it rather than failing.
 */
let synced: Promise<void> = Promise.resolve();
let markSynced: () => void = () => {};
let topics: ChatTopic[] = [];

setUpLanguage();
onLangChange(render);
setInterval(() => void renew(), renewEveryMs);
main().catch((e) => showError(t("error", { message: messageOf(e) })));

async function main(): Promise<void> {
  const kept = load();
  if (kept) {
    open(kept);
  } else {
    await showStart();
  }
}

async function showStart(): Promise<void> {
  snapshot = null;
  byId("transcript").replaceChildren();
  show("start");
  topics = await api<ChatTopic[]>("/api/chat/topics");
  fillTopics();
}

function fillTopics(): void {
  const select = byId<HTMLSelectElement>("topic");
  const chosen = select.value;
  select.replaceChildren(...topics.map((topic) => el("option", { value: topic.id }, topic.names?.[lang()] ?? topic.name)));
  if (chosen) {
    select.value = chosen;
  }
  showOpening();
}

/**
 * Outside the chosen topic's business hours (docs/routing.md, "Business hours") the widget says so, with the next opening
 * in the customer's language, and offers to leave a message instead of a chat: it is answered when the queue opens.
 */
function showOpening(): void {
  const topic = chosenTopic();
  const closed = topic !== undefined && !topic.open;
  const notice = byId("closed");
  notice.hidden = !closed;
  notice.textContent = !closed ? "" : topic.opensAt ? t("chat.closed", { when: when(topic.opensAt) }) : t("chat.closedNever");
  byId("leave-fields").hidden = !closed;
  byId<HTMLTextAreaElement>("left-message").required = closed;
  byId("start-submit").textContent = t(closed ? "chat.leaveSubmit" : "chat.start");
  byId("left-text").textContent = !left ? "" : left.opensAt ? t("chat.left", { when: when(left.opensAt) }) : t("chat.leftNoWhen");
}

function chosenTopic(): ChatTopic | undefined {
  return topics.find((x) => x.id === byId<HTMLSelectElement>("topic").value);
}

byId("topic").addEventListener("change", showOpening);

byId("left-again").addEventListener("click", () => {
  left = null;
  void showStart();
});

/** Leaves a message on a closed topic: an email conversation the queue offers when it opens. */
async function leaveMessage(topic: ChatTopic, name: string): Promise<void> {
  const message = byId<HTMLTextAreaElement>("left-message").value.trim();
  const email = byId<HTMLInputElement>("email").value.trim();
  if (!message) {
    return;
  }
  await api<ConversationResource>("/api/chat/messages", { topicId: topic.id, name, email: email || null, message });
  byId<HTMLTextAreaElement>("left-message").value = "";
  left = { opensAt: topic.opensAt ?? null };
  show("left");
  showOpening();
}

view.start.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = byId<HTMLInputElement>("name").value.trim();
  const topic = chosenTopic();
  if (!name || !topic) {
    return;
  }
  try {
    if (!topic.open) {
      await leaveMessage(topic, name);
      return;
    }
    // The topic decides the queue and the skills; a visitor's chat is of the standard tier.
    const created = await api<ConversationResource>("/api/chat/conversations", { topicId: topic.id, name });
    const started = { id: created.id, token: created.customerToken!, name }; // a creation's answer carries the token
    localStorage.setItem(storageKey, JSON.stringify(started));
    open(started);
  } catch (e) {
    if (e instanceof ApiError && e.code === "queue-closed") {
      topics = await api<ChatTopic[]>("/api/chat/topics"); // it closed while the form was open: offer to leave a message
      fillTopics();
      return;
    }
    showError(t("error", { message: messageOf(e) }));
  }
});

function open(conversation: Saved): void {
  show("waiting");
  saved = conversation;
  synced = new Promise((resolve) => (markSynced = resolve));
  const client = new CustomerClient({
    ...pageConnection(() => conversation.token, () => {
      // The token expired (the widget was closed for longer than it lasts) or is another server's: start afresh.
      if (saved === conversation) {
        showError(t("chat.expired"));
        void forget();
      }
    }),
    onResyncFailed: (e) => {
      if (codeOf(e) === "conversation-not-found" && saved === conversation) {
        showError(t("chat.expired")); // the conversation is not on this server any more: start afresh
        void forget();
      } else {
        showError(t("error", { message: messageOf(e) })); // the connection's trouble: tried again
      }
    },
  });
  realtime = client;
  // A connection left behind (the customer started a new chat) changes nothing any more.
  const current = (): boolean => realtime === client;
  client.onSnapshot(async (s) => {
    if (current()) {
      snapshot = s;
      render();
      markSynced();
      await renew(); // a reloaded widget's token may be near its end: a fresh one at once
    }
  });
  client.on("PositionChanged", (position) => {
    if (snapshot && current()) {
      // A place in line means a wait for a person: after the self-service step, the assistant passed the chat on.
      const state = snapshot.state === "SelfService" ? "Queued" : snapshot.state;
      snapshot = { ...snapshot, position, state };
      render();
    }
  });
  client.on("AgentJoined", (agentName) => {
    if (snapshot && current()) {
      snapshot = { ...snapshot, agentName, state: agentName ? "Connected" : "Queued" };
      render();
    }
  });
  client.onMessage((message, live) => {
    if (current()) {
      if (live) {
        agentTypingUntil = 0; // what was typed has arrived
        showAgentTyping();
      }
      add(message);
    }
  });
  client.on("AgentTyping", () => {
    if (current()) {
      agentTypingUntil = Date.now() + typingShownMs;
      showAgentTyping();
      setTimeout(showAgentTyping, typingShownMs + 50);
    }
  });
  client.on("SupervisorJoined", (supervisor) => {
    if (snapshot && current()) {
      snapshot = { ...snapshot, supervisor };
      render();
    }
  });
  client.on("ConversationEnded", (state) => {
    if (snapshot && current()) {
      snapshot = { ...snapshot, state };
      render();
    }
  });
  void client.start();
}

/** A fresh customer token while the conversation lives, kept with the conversation for a reload. */
async function renew(): Promise<void> {
  const conversation = saved;
  const client = realtime;
  if (!conversation || !client?.connected || !snapshot || ended(snapshot.state)) {
    return;
  }
  try {
    const token = await client.invoke("RenewToken");
    if (saved === conversation) {
      conversation.token = token;
      localStorage.setItem(storageKey, JSON.stringify(conversation));
    }
  } catch (e) {
    // Refused once the conversation has ended (its token is not needed any more); any other failure is tried again
    // on the next connect or in ten minutes, while the token in hand still has twenty minutes or more.
    if (codeOf(e) !== "conversation-ended") {
      console.warn("The customer token was not renewed", e);
    }
  }
}

function ended(state: CustomerSnapshot["state"]): boolean {
  return state === "Completed" || state === "Abandoned" || state === "Resolved";
}

function render(): void {
  fillTopics();
  if (!snapshot) {
    return;
  }
  const state = snapshot.state;
  for (const button of document.querySelectorAll<HTMLButtonElement>("#transcript button.solved")) {
    button.hidden = state !== "SelfService";
  }
  byId("ended").textContent = t(state === "Resolved" ? "chat.self.resolved" : "chat.ended");
  if (state !== "SelfService") {
    suggest.clear();
  }
  if (state === "SelfService") {
    show("self");
  } else if (state === "Queued" || state === "Offered" || state === "Created") {
    show("waiting");
    const p = snapshot.position;
    byId("position").textContent = !p ? t("chat.connecting") : p.position === 0 ? t("chat.next") : t("chat.position", { position: p.position + 1, ahead: p.position });
    byId("eta").textContent = p?.opensAt
      ? t("chat.opensAt", { when: when(p.opensAt) })
      : p?.estimatedWaitSeconds != null ? t("chat.eta", { wait: duration(p.estimatedWaitSeconds) }) : "";
  } else if (state === "Connected") {
    show("talk");
    byId("agent").textContent = t("chat.agentJoined", { agent: snapshot.agentName ?? t("chat.agent") });
    byId("supervisor").hidden = !snapshot.supervisor;
    byId("supervisor").textContent = snapshot.supervisor ? t("chat.supervisorJoined", { supervisor: snapshot.supervisor }) : "";
  } else if (snapshot.rating == null && state !== "Abandoned" && state !== "Resolved") {
    show("rate");
    byId("rated").hidden = true;
    byId("stars").hidden = false;
  } else {
    show("rate");
    byId("stars").hidden = true;
    byId("rated").hidden = false;
  }
}

/** A message the client hands on: each once, in order, so it is appended. */
function add(m: TranscriptMessage): void {
  const list = byId("transcript");
  list.append(el("li", { class: `message ${m.from}`, "data-sequence": String(m.sequence) },
    el("span", { class: "who" }, who(m)),
    m.from === "bot" ? answer(m) : el("span", { class: "text" }, m.text),
    el("time", { datetime: m.at }, time(m.at))));
  list.scrollTop = list.scrollHeight;
}

function who(m: TranscriptMessage): string {
  if (m.from === "supervisor") {
    return t("chat.supervisor", { name: m.agentId ?? "" });
  }
  return m.from === "customer" ? t("chat.you") : m.from === "bot" ? t("chat.assistant") : snapshot?.agentName ?? t("chat.agent");
}

/**
 * The assistant's answer: the article's title, its answer, and the button that takes it as solving the question. What
 * it says without an article (the line for a person is full) is plain text.
 */
function answer(m: TranscriptMessage): HTMLElement {
  if (!m.articleId) {
    return el("span", { class: "text" }, m.text);
  }
  const [title, ...rest] = m.text.split("\n");
  const solved = el("button", { type: "button", class: "solved" }, t("chat.self.solved"));
  solved.hidden = snapshot?.state !== "SelfService";
  solved.addEventListener("click", () => void call((c) => c.invoke("Resolve", m.articleId!)));
  return el("div", { class: "text answer" }, el("strong", {}, title), el("p", {}, rest.join("\n")), solved);
}

/** A hub method answering the customer's snapshot, then shown. */
async function call(method: (client: CustomerClient) => Promise<CustomerSnapshot>): Promise<void> {
  if (!realtime) {
    return;
  }
  try {
    snapshot = await method(realtime);
    render();
  } catch (e) {
    showError(codeOf(e) === "queue-full" ? t("chat.self.full") : t("error", { message: messageOf(e) }));
  }
}

byId("person").addEventListener("click", () => void call((c) => c.invoke("Escalate")));

byId<HTMLFormElement>("compose").addEventListener("submit", (event) => {
  event.preventDefault();
  void send(byId<HTMLInputElement>("message").value.trim());
});

/** Sends the customer's message; once it is taken, the message box is emptied. */
async function send(text: string): Promise<void> {
  if (!text || !realtime) {
    return;
  }
  suggest.clear();
  try {
    await synced;
    await realtime.sendMessage(text); // the client hands the message sent on like any other
    byId<HTMLInputElement>("message").value = "";
  } catch (e) {
    showError(t("error", { message: messageOf(e) }));
  }
}

/**
 * In the self-service step, the knowledge base's good answers to what the customer is typing (docs/self-service.md,
 * "Suggestions as the customer types"): asked 250 ms after the last key (never while an input method composes), the
 * newest answer only. Taking one asks its question, which the assistant answers with the article.
 */
/** The longest question the search takes (the server's Limits.SearchTextLength). */
const maxQuestion = 500;

const suggest = (() => {
  const list = byId("suggestion-list");
  const section = byId("suggestions");
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const clear = () => {
    clearTimeout(timer);
    asked++;
    section.hidden = true;
    list.replaceChildren();
  };
  const ask = async (text: string) => {
    const mine = ++asked;
    try {
      const found = await realtime!.invoke("Suggest", text);
      if (mine !== asked || snapshot?.state !== "SelfService") {
        return;
      }
      list.replaceChildren(...found.map((s) => {
        const take = el("button", { type: "button", "data-article": s.articleId }, s.title);
        take.addEventListener("click", () => void send(s.title));
        return el("li", {}, take);
      }));
      section.hidden = found.length === 0;
    } catch {
      clear(); // suggestions are a help, not a step: the customer can still send the question
    }
  };
  const typed = (event: Event) => {
    if (event instanceof InputEvent && event.isComposing) {
      return;
    }
    clearTimeout(timer);
    const text = byId<HTMLInputElement>("message").value.trim();
    if (snapshot?.state !== "SelfService" || !realtime || text.length < 2) {
      clear();
      return;
    }
    timer = setTimeout(() => void ask(text.slice(0, maxQuestion)), 250);
  };
  byId("message").addEventListener("input", typed);
  byId("message").addEventListener("compositionend", typed);
  return { clear };
})();

/** Until when the agent is shown typing (ms), and when the customer last said they were typing. */
let agentTypingUntil = 0;
let typingSent = 0;
const typingShownMs = 4000;
const typingEveryMs = 3000;

function showAgentTyping(): void {
  const typing = byId("typing");
  typing.hidden = agentTypingUntil <= Date.now() || snapshot?.state !== "Connected";
  typing.textContent = t("chat.typing", { agent: snapshot?.agentName ?? t("chat.agent") });
}

// The agent sees the customer typing: said at most every three seconds, while connected and something is typed.
byId("message").addEventListener("input", () => {
  const now = Date.now();
  if (snapshot?.state === "Connected" && realtime && byId<HTMLInputElement>("message").value.trim() && now - typingSent > typingEveryMs) {
    typingSent = now;
    realtime.invoke("Typing").catch(() => undefined); // a hint, not a step
  }
});

byId("leave").addEventListener("click", () => void call((c) => c.invoke("Leave")));

for (const star of document.querySelectorAll<HTMLButtonElement>("#stars button")) {
  // The comment typed above the stars goes with the rating; a low one with a comment reaches a person (docs/conversations.md,
  // "Feedback routed back").
  star.addEventListener("click", () => void call((c) => c.invoke("Rate", Number(star.value), byId<HTMLTextAreaElement>("comment").value.trim() || null)));
}

byId("again").addEventListener("click", () => void forget());

async function forget(): Promise<void> {
  localStorage.removeItem(storageKey);
  const old = realtime;
  realtime = null;
  saved = null;
  await old?.stop();
  await showStart();
}

function show(which: keyof typeof view): void {
  for (const [name, section] of Object.entries(view)) {
    section.hidden = name !== which;
  }
  byId("compose").hidden = which === "start" || which === "rate" || which === "left";
  byId("transcript").hidden = which === "start" || which === "left";
}

function load(): Saved | null {
  try {
    const kept = JSON.parse(localStorage.getItem(storageKey) ?? "null") as Saved | null;
    return kept?.id && kept.token ? kept : null;
  } catch {
    return null;
  }
}
