// The customer at the desk (docs/conversations.md, "The customer at the desk"): beside a conversation, its customer's
// tier and attributes, their earlier conversations across channels and queues (when, where, with whom, how it ended,
// their rating, the last private note), and the private note the agent keeps on this one. The history is asked for
// once per conversation; the note's draft survives the panel being rebuilt as messages arrive.
import { AgentConversation, api, CustomerHistory } from "../shared/contracts";
import { el, showError } from "../shared/dom";
import { time } from "../shared/format";
import { t } from "../shared/i18n";
import type { AgentClient } from "routing-client";
import { messageOf } from "../shared/realtime";

const histories = new Map<string, CustomerHistory | "loading">();
const notes = new Map<string, string>();

/** Forgets what was kept for conversations the agent no longer holds. */
export function forgetCustomers(held: Set<string>): void {
  for (const id of [...histories.keys()]) {
    if (!held.has(id)) {
      histories.delete(id);
      notes.delete(id);
    }
  }
}

export function customerDetails(c: AgentConversation, queueName: (id: string) => string, realtime: AgentClient, rerender: () => void): HTMLElement {
  const history = histories.get(c.conversationId);
  if (history === undefined) {
    histories.set(c.conversationId, "loading");
    api<CustomerHistory>(`/api/conversations/${encodeURIComponent(c.conversationId)}/history`)
      .then((h) => histories.set(c.conversationId, h))
      .catch((e) => {
        histories.delete(c.conversationId);
        showError(t("error", { message: messageOf(e) }));
      })
      .finally(rerender);
  }
  const known = history && history !== "loading" ? history : null;
  const attributes = Object.entries(known?.attributes ?? {});

  const noteId = `note-${c.conversationId}`;
  const note = el("textarea", { id: noteId, rows: "2" });
  note.value = notes.get(c.conversationId) ?? "";
  note.addEventListener("input", () => notes.set(c.conversationId, note.value));
  const noteForm = el("form", { class: "private-note" }, el("label", { for: noteId }, t("desk.privateNote")), note,
    el("button", { type: "submit" }, t("desk.saveNote")));
  noteForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = note.value.trim();
    if (!text) {
      return;
    }
    try {
      await realtime.invoke("AddNote", c.conversationId, text);
      notes.delete(c.conversationId);
      note.value = "";
    } catch (e) {
      showError(t("error", { message: messageOf(e) }));
    }
  });

  return el("aside", { class: "details" },
    el("h3", {}, t("desk.details")),
    el("p", {}, c.customer.name ?? c.customer.id, " ", el("span", { class: `tier tier-${c.customer.tier}` }, c.customer.tier)),
    el("p", {}, `${c.channel} · ${queueName(c.queueId)}`),
    el("p", {}, time(c.createdAt)),
    attributes.length > 0
      ? el("dl", { class: "attributes" }, ...attributes.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]))
      : null,
    el("h4", {}, t("desk.history")),
    !known
      ? el("p", { class: "muted" }, "…")
      : known.conversations.length === 0
        ? el("p", { class: "muted", "data-field": "no-history" }, t("desk.noHistory"))
        : el("ol", { class: "history" }, ...known.conversations.map((p) => el("li", { "data-conversation": p.conversationId },
          el("span", {}, `${time(p.createdAt)} · ${p.channel} · ${queueName(p.queueId)} · ${t(`state.${p.state}`)}`),
          p.agentId ? el("span", { class: "muted" }, ` · ${p.agentId}`) : null,
          p.disposition ? el("span", {}, ` · ${p.disposition}`) : null,
          p.rating != null ? el("span", { class: "rating" }, ` · ${t("desk.rating", { rating: p.rating })}`) : null,
          p.note ? el("p", { class: "note-text" }, p.note) : null))),
    noteForm);
}
