// Canned replies at the desk: the knowledge base's answers, searched from the reply box and inserted into it with the
// conversation's fields filled in (docs/self-service.md, "Canned replies at the desk"). Keyboard first:
// - "/" at the start of the reply box opens the list and what follows it is the search; the reply box is the
//   combobox, so the caret stays where the agent types;
// - Ctrl+K (⌘K on a Mac) opens a search field of its own and inserts the answer at the reply box's caret, beside
//   what the agent wrote already.
// Up and Down choose, Enter inserts, Escape closes and gives the reply box back. An empty search looks for the
// customer's last message, so the answers to what was just asked come first. One picker serves the page: the desk
// rebuilds its panel whenever a message arrives and mounts the same picker beside the new reply box, so an open
// list, and what it found, survive a message from the customer.
import { api, KnowledgeHit } from "../shared/contracts";
import { el } from "../shared/dom";
import { FieldValues, fillFields, oneLine } from "../shared/fields";
import { t, translate } from "../shared/i18n";
import { messageOf } from "../shared/realtime";

/** What the picker knows of the conversation whose reply box it serves. */
export interface CannedContext {
  conversationId: string;
  /** The customer's display name, if the conversation has one. */
  customerName: string | null;
  /** The signed-in agent's display name. */
  agentName: string;
  /** The customer's last message: what an empty search looks for. */
  lastCustomerText: string | null;
}

type Mode = "closed" | "slash" | "search";
type Found = "searching" | "found" | "prompt" | "failed";

/** How long typing must pause before the search runs: one request per pause, not one per key. */
const debounceMs = 150;
/** The answers offered at once. */
const limit = 8;
/** The longest question the search takes (the server's Limits.SearchTextLength). */
const maxQuestion = 500;

/** A Mac's shortcut is ⌘K: Ctrl+K there deletes to the end of the line, which a text field should keep doing. */
const mac = /Mac|iPhone|iPad/.test(navigator.userAgent);

export class CannedReplies {
  /** The popup: a search field (Ctrl+K only), the listbox and a line saying what the search found. */
  readonly root: HTMLElement;
  /** The line under the reply box that tells the agent the picker is there; the reply box is described by it. */
  readonly hint: HTMLElement;
  private readonly searchRow: HTMLElement;
  private readonly searchLabel: HTMLLabelElement;
  private readonly search: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private readonly keys: HTMLElement;
  private reply: HTMLInputElement | null = null;
  private context: CannedContext | null = null;
  private mode: Mode = "closed";
  private query = "";
  private hits: KnowledgeHit[] = [];
  private active = -1;
  private found: Found = "prompt";
  private failure = "";
  /** Escape in the "/" mode: the message starts with "/" on purpose, and typing on does not reopen the list. */
  private dismissed = false;
  /** Where the caret was in the reply box when Ctrl+K opened the search: the answer goes there. */
  private caret = { start: 0, end: 0 };
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The newest search asked for: an older one answering late is not shown. */
  private asked = 0;

  constructor() {
    this.searchLabel = el("label", { for: "canned-search" });
    this.search = el("input", {
      id: "canned-search", role: "combobox", autocomplete: "off", spellcheck: "false",
      "aria-autocomplete": "list", "aria-controls": "canned-list", "aria-expanded": "false",
    });
    this.searchRow = el("div", { class: "canned-search" }, this.searchLabel, this.search);
    this.list = el("ul", { id: "canned-list", class: "canned-list", role: "listbox" });
    this.status = el("p", { id: "canned-status", class: "canned-status", role: "status" });
    this.keys = el("p", { class: "canned-keys" });
    this.root = el("div", { id: "canned", class: "canned", hidden: true }, this.searchRow, this.list, this.status, this.keys);
    this.hint = el("p", { id: "canned-hint", class: "hint muted" });
    // While an input method composes (pinyin on its way to characters), nothing is searched until it is done.
    const searched = (event: Event) => {
      if (!composing(event)) {
        this.query = this.search.value;
        this.schedule();
      }
    };
    this.search.addEventListener("input", searched);
    this.search.addEventListener("compositionend", searched);
    this.search.addEventListener("keydown", (event) => this.key(event, "search"));
    this.search.addEventListener("focusout", (event) => this.left(event));
    // A press anywhere else on the page closes the list; in the "/" mode the reply box is part of it.
    document.addEventListener("pointerdown", (event) => {
      const on = event.target instanceof Node ? event.target : null;
      if (this.mode !== "closed" && !(on && this.root.contains(on)) && !(on === this.reply && this.mode === "slash")) {
        this.close();
      }
    });
  }

  /** Serves a freshly rendered reply box; another conversation's starts with nothing of the last one's search. */
  mount(reply: HTMLInputElement, context: CannedContext): void {
    if (this.context?.conversationId !== context.conversationId) {
      this.close();
      this.dismissed = false;
    }
    this.reply = reply;
    this.context = context;
    reply.setAttribute("role", "combobox");
    reply.setAttribute("aria-autocomplete", "list");
    reply.setAttribute("aria-controls", "canned-list");
    reply.setAttribute("aria-describedby", "canned-hint");
    reply.addEventListener("input", (event) => composing(event) || this.typed());
    reply.addEventListener("compositionend", () => this.typed());
    reply.addEventListener("keydown", (event) => this.key(event, "slash"));
    reply.addEventListener("focusout", (event) => this.left(event));
    this.render();
  }

  /**
   * Ctrl+K: the search field, empty — so the customer's last message is searched — with the reply box's caret kept
   * for the answer. False when there is no reply box to insert into (no conversation open for replies).
   */
  openSearch(): boolean {
    const reply = this.reply;
    if (!reply?.isConnected) {
      return false;
    }
    if (this.mode === "slash") {
      reply.focus(); // the list is open already, driven from the reply box
      return true;
    }
    if (this.mode === "closed") {
      this.caret = { start: reply.selectionStart ?? reply.value.length, end: reply.selectionEnd ?? reply.value.length };
      this.search.value = "";
      this.open("search", "");
    }
    this.search.focus();
    return true;
  }

  /** Closes the list (a search still on its way is forgotten); the reply box keeps what it holds. */
  close(): void {
    clearTimeout(this.timer);
    this.asked++;
    if (this.mode !== "closed") {
      this.mode = "closed";
      this.hits = [];
      this.active = -1;
      this.render();
    }
  }

  /** The reply box changed: a leading "/" opens the list, or narrows it; without one the "/" mode ends. */
  private typed(): void {
    const value = this.reply?.value ?? "";
    if (!value.startsWith("/")) {
      this.dismissed = false;
      if (this.mode === "slash") {
        this.close();
      }
    } else if (this.mode === "slash") {
      this.query = value.slice(1);
      this.schedule();
    } else if (this.mode === "closed" && !this.dismissed) {
      this.open("slash", value.slice(1));
    }
  }

  private open(mode: Exclude<Mode, "closed">, query: string): void {
    this.mode = mode;
    this.query = query;
    this.hits = [];
    this.active = -1;
    this.found = "searching";
    this.render();
    this.schedule(query.trim() ? debounceMs : 0);
  }

  private schedule(delay = debounceMs): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delay);
  }

  private async run(): Promise<void> {
    const asked = ++this.asked;
    const question = (this.query.trim() || this.context?.lastCustomerText?.trim() || "").slice(0, maxQuestion);
    if (!question) {
      this.show([], "prompt");
      return;
    }
    this.found = "searching";
    this.renderStatus();
    try {
      const hits = await api<KnowledgeHit[]>(`/api/knowledge/search?q=${encodeURIComponent(question)}&limit=${limit}`);
      if (asked === this.asked && this.mode !== "closed") {
        this.show(hits, "found");
      }
    } catch (e) {
      if (asked === this.asked && this.mode !== "closed") {
        this.failure = messageOf(e);
        this.show([], "failed");
      }
    }
  }

  private show(hits: KnowledgeHit[], found: Found): void {
    this.hits = hits;
    this.active = hits.length > 0 ? 0 : -1;
    this.found = found;
    this.render();
  }

  private key(event: KeyboardEvent, from: Mode): void {
    if (this.mode !== from || event.isComposing) {
      return; // an input method's Enter and arrows are for its own candidates
    }
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        this.move(event.key === "ArrowDown" ? 1 : -1);
        break;
      case "Enter":
        event.preventDefault(); // neither sends "/words" as a message nor submits anything
        if (this.active >= 0) {
          this.choose(this.active);
        }
        break;
      case "Escape":
        event.preventDefault();
        event.stopPropagation();
        this.dismissed = from === "slash";
        this.close();
        this.giveBack(from === "search" ? this.caret : null);
        break;
    }
  }

  private move(step: number): void {
    const count = this.hits.length;
    if (count > 0) {
      this.active = (this.active + step + count) % count;
      this.select();
    }
  }

  /** Puts the answer into the reply box, filled in: in place of "/words", or at the caret Ctrl+K found. */
  private choose(index: number): void {
    const hit = this.hits[index];
    const reply = this.reply;
    if (!hit || !reply?.isConnected) {
      return;
    }
    const answer = this.filled(hit);
    let value = answer;
    let caret = answer.length;
    if (this.mode === "search") {
      const before = reply.value.slice(0, this.caret.start);
      const after = reply.value.slice(this.caret.end);
      const lead = before && !/\s$/.test(before) ? " " : "";
      const trail = after && !/^\s/.test(after) ? " " : "";
      value = before + lead + answer + trail + after;
      caret = before.length + lead.length + answer.length;
    }
    this.close();
    this.dismissed = value.startsWith("/"); // an answer that starts with "/" does not open the list again
    reply.value = value;
    reply.dispatchEvent(new Event("input", { bubbles: true })); // the desk keeps it as the conversation's draft
    this.giveBack({ start: caret, end: caret });
  }

  private giveBack(caret: { start: number; end: number } | null): void {
    const reply = this.reply;
    if (reply?.isConnected) {
      reply.focus();
      if (caret) {
        reply.setSelectionRange(caret.start, caret.end);
      }
    }
  }

  /**
   * Focus went to another control (Tab, a click): the list closes. Focus lost to nowhere — the panel re-rendered
   * under it, or the window lost focus — closes nothing.
   */
  private left(event: FocusEvent): void {
    const to = event.relatedTarget instanceof Node ? event.relatedTarget : null;
    if (this.mode !== "closed" && to && !this.root.contains(to) && !(to === this.reply && this.mode === "slash")) {
      this.close();
    }
  }

  private filled(hit: KnowledgeHit): string {
    return oneLine(fillFields(hit.article.answer, this.values(hit.article.language)));
  }

  /** The fields an answer may hold; a customer without a name is addressed politely in the answer's language. */
  private values(language: string): FieldValues {
    const context = this.context;
    return {
      "customer.name": context?.customerName?.trim() || translate(language, "canned.customer"),
      "agent.name": context?.agentName ?? "",
      "conversation.id": context?.conversationId ?? "",
    };
  }

  private render(): void {
    this.root.hidden = this.mode === "closed";
    this.searchRow.hidden = this.mode !== "search";
    this.searchLabel.textContent = t("canned.search");
    this.list.setAttribute("aria-label", t("canned.list"));
    this.keys.textContent = t("canned.keys");
    this.hint.textContent = t("canned.hint", { shortcut: mac ? "⌘K" : "Ctrl+K" });
    this.list.replaceChildren(...this.hits.map((hit, i) => this.option(hit, i)));
    this.list.hidden = this.hits.length === 0;
    this.renderStatus();
    this.select();
  }

  private option(hit: KnowledgeHit, index: number): HTMLElement {
    const article = hit.article;
    const written = article.language === "zh" ? "zh-CN" : article.language;
    const option = el("li", { role: "option", id: `canned-option-${index}`, class: "canned-option", "data-article": article.id },
      el("span", { class: "canned-title", lang: written }, article.title),
      el("span", { class: "canned-lang" }, t(`canned.lang.${article.language}`)),
      el("span", { class: "canned-preview", lang: written }, this.filled(hit)));
    option.addEventListener("mousedown", (event) => event.preventDefault()); // the focus stays where the agent types
    option.addEventListener("click", () => this.choose(index));
    option.addEventListener("mousemove", () => {
      if (this.active !== index) {
        this.active = index;
        this.select();
      }
    });
    return option;
  }

  private renderStatus(): void {
    const count = this.hits.length;
    this.status.textContent = {
      searching: t("canned.searching"),
      prompt: t("canned.prompt"),
      failed: t("canned.failed", { message: this.failure }),
      found: count === 0 ? t("canned.none") : count === 1 ? t("canned.one") : t("canned.count", { count }),
    }[this.found];
  }

  /** Marks the active option, tells the box the agent types in which one it is, and scrolls it into the list's view. */
  private select(): void {
    const options = [...this.list.querySelectorAll<HTMLElement>("[role=option]")];
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === this.active)));
    const active = options[this.active];
    for (const [box, mode] of [[this.reply, "slash"], [this.search, "search"]] as const) {
      if (box) {
        box.setAttribute("aria-expanded", String(this.mode === mode));
        if (this.mode === mode && active) {
          box.setAttribute("aria-activedescendant", active.id);
        } else {
          box.removeAttribute("aria-activedescendant");
        }
      }
    }
    if (active) {
      if (active.offsetTop < this.list.scrollTop) {
        this.list.scrollTop = active.offsetTop;
      } else if (active.offsetTop + active.offsetHeight > this.list.scrollTop + this.list.clientHeight) {
        this.list.scrollTop = active.offsetTop + active.offsetHeight - this.list.clientHeight;
      }
    }
  }
}

function composing(event: Event): boolean {
  return event instanceof InputEvent && event.isComposing;
}

/** Whether a key press is the shortcut that opens the search: Ctrl+K, or ⌘K on a Mac. */
export function isSearchShortcut(event: KeyboardEvent): boolean {
  return (mac ? event.metaKey : event.ctrlKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k";
}
