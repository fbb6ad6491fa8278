// Canned replies at the desk: the knowledge base's answers and the agent's own saved replies, searched from the reply
// box and inserted into it with the conversation's fields filled in (docs/self-service.md, "Canned replies at the
// desk"). Keyboard first:
// - "/" at the start of the reply box opens the list and what follows it is the search; the reply box is the
//   combobox, so the caret stays where the agent types;
// - Ctrl+K (⌘K on a Mac) opens a search field of its own and inserts the answer at the reply box's caret, beside
//   what the agent wrote already.
// Up and Down choose, Enter inserts, Shift+Delete deletes one of the agent's own, Escape closes and gives the reply box
// back. The agent's own replies whose words match come first; an empty search looks for the customer's last message, so
// the answers to what was just asked come first, the agent's own after them. "Save as my reply" keeps what the reply
// box holds as one of the agent's own. One picker serves the page: the desk
// rebuilds its panel whenever a message arrives and mounts the same picker beside the new reply box, so an open
// list, and what it found, survive a message from the customer.
import { api, KnowledgeHit, request, SavedReply } from "../shared/contracts";
import { el } from "../shared/dom";
import { FieldValues, fillFields, oneLine } from "../shared/fields";
import { lang, t, translate } from "../shared/i18n";
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
/** One line of the list: an article the search found, or one of the agent's own replies. */
type Choice = { kind: "article"; hit: KnowledgeHit } | { kind: "mine"; reply: SavedReply };
type Found = "searching" | "found" | "prompt" | "failed";

/** How long typing must pause before the search runs: one request per pause, not one per key. */
const debounceMs = 150;
/** The answers offered at once. */
const limit = 8;
/** The agent's own replies offered at once, beside the answers. */
const mineLimit = 5;
/** The longest title of a saved reply (the server's Limits.ReplyTitleLength), and the text's. */
const maxTitle = 100;
const maxText = 4000;
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
  /** Deletes the active choice when it is one of the agent's own (Shift+Delete does too). */
  private readonly remove: HTMLButtonElement;
  /** "Save as my reply" beside the reply box: the button, and the title it asks for. */
  readonly saver: HTMLElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly saveForm: HTMLFormElement;
  private readonly saveLabel: HTMLLabelElement;
  private readonly saveTitle: HTMLInputElement;
  private readonly saveConfirm: HTMLButtonElement;
  private readonly saveCancel: HTMLButtonElement;
  private readonly saveStatus: HTMLElement;
  private agentId: string | null = null;
  /** The agent's own replies, read once when the desk starts and kept current by what it saves and deletes here. */
  private mine: SavedReply[] = [];
  private reply: HTMLInputElement | null = null;
  private context: CannedContext | null = null;
  private mode: Mode = "closed";
  private query = "";
  private choices: Choice[] = [];
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
    this.remove = el("button", { type: "button", id: "canned-delete", class: "canned-delete", hidden: true });
    this.remove.addEventListener("mousedown", (event) => event.preventDefault()); // the focus stays where the agent types
    this.remove.addEventListener("click", () => void this.deleteActive());
    this.root = el("div", { id: "canned", class: "canned", hidden: true },
      this.searchRow, this.list, this.status, el("div", { class: "canned-foot" }, this.keys, this.remove));
    this.hint = el("p", { id: "canned-hint", class: "hint muted" });
    this.saveButton = el("button", { type: "button", id: "reply-save", class: "link" });
    this.saveLabel = el("label", { for: "reply-title" });
    this.saveTitle = el("input", { id: "reply-title", autocomplete: "off", maxlength: String(maxTitle) });
    this.saveConfirm = el("button", { type: "submit", class: "primary" });
    this.saveCancel = el("button", { type: "button" });
    this.saveForm = el("form", { class: "reply-save", hidden: true }, this.saveLabel, this.saveTitle, this.saveConfirm, this.saveCancel);
    this.saveStatus = el("p", { id: "reply-save-status", class: "hint muted", role: "status" });
    this.saver = el("div", { class: "saver" }, this.saveButton, this.saveForm, this.saveStatus);
    this.saveButton.addEventListener("click", () => this.askTitle());
    this.saveCancel.addEventListener("click", () => this.closeSave(true));
    this.saveTitle.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.closeSave(true);
      }
    });
    this.saveForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.save();
    });
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

  /** Reads the agent's own replies; without them the list still offers the knowledge base's answers. */
  async load(agentId: string): Promise<void> {
    this.agentId = agentId;
    try {
      this.mine = await api<SavedReply[]>(this.repliesPath());
    } catch {
      this.mine = [];
    }
  }

  /** Serves a freshly rendered reply box; another conversation's starts with nothing of the last one's search. */
  mount(reply: HTMLInputElement, context: CannedContext): void {
    if (this.context?.conversationId !== context.conversationId) {
      this.close();
      this.dismissed = false;
      this.closeSave(false); // a title asked for another conversation's reply is not this one's
      this.saveStatus.textContent = "";
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
      this.choices = [];
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
    this.choices = [];
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
    const typed = this.query.trim();
    const mine = this.matching(typed).map((reply): Choice => ({ kind: "mine", reply }));
    const question = (typed || this.context?.lastCustomerText?.trim() || "").slice(0, maxQuestion);
    if (!question) {
      this.show(mine, mine.length > 0 ? "found" : "prompt");
      return;
    }
    this.found = "searching";
    this.renderStatus();
    try {
      const hits = await api<KnowledgeHit[]>(`/api/knowledge/search?q=${encodeURIComponent(question)}&limit=${limit}`);
      if (asked === this.asked && this.mode !== "closed") {
        const articles = hits.map((hit): Choice => ({ kind: "article", hit }));
        this.show(typed ? [...mine, ...articles] : [...articles, ...mine], "found");
      }
    } catch (e) {
      if (asked === this.asked && this.mode !== "closed") {
        this.failure = messageOf(e);
        this.show(mine, "failed");
      }
    }
  }

  /** The agent's own replies holding every word typed (in the title or the text), or all of them for no words. */
  private matching(typed: string): SavedReply[] {
    const words = typed.toLocaleLowerCase().split(/\s+/).filter((w) => w.length > 0);
    return this.mine
      .filter((r) => {
        const text = `${r.title} ${r.text}`.toLocaleLowerCase();
        return words.every((w) => text.includes(w));
      })
      .slice(0, mineLimit);
  }

  private show(choices: Choice[], found: Found): void {
    this.choices = choices;
    this.active = choices.length > 0 ? 0 : -1;
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
      case "Delete":
        if (event.shiftKey && this.choices[this.active]?.kind === "mine") {
          event.preventDefault();
          void this.deleteActive();
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
    const count = this.choices.length;
    if (count > 0) {
      this.active = (this.active + step + count) % count;
      this.select();
    }
  }

  /** Puts the answer into the reply box, filled in: in place of "/words", or at the caret Ctrl+K found. */
  private choose(index: number): void {
    const choice = this.choices[index];
    const reply = this.reply;
    if (!choice || !reply?.isConnected) {
      return;
    }
    const answer = this.filled(choice);
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

  /** The choice's text as it goes into the reply box; the agent's own is written in the desk's language. */
  private filled(choice: Choice): string {
    return choice.kind === "article"
      ? oneLine(fillFields(choice.hit.article.answer, this.values(choice.hit.article.language)))
      : oneLine(fillFields(choice.reply.text, this.values(lang())));
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
    this.list.replaceChildren(...this.choices.map((choice, i) => this.option(choice, i)));
    this.list.hidden = this.choices.length === 0;
    this.saveButton.textContent = t("canned.save");
    this.saveLabel.textContent = t("canned.saveTitle");
    this.saveConfirm.textContent = t("canned.saveConfirm");
    this.saveCancel.textContent = t("canned.cancel");
    this.renderStatus();
    this.select();
  }

  private option(choice: Choice, index: number): HTMLElement {
    const id = `canned-option-${index}`;
    let option: HTMLElement;
    if (choice.kind === "article") {
      const article = choice.hit.article;
      const written = article.language === "zh" ? "zh-CN" : article.language;
      option = el("li", { role: "option", id, class: "canned-option", "data-article": article.id },
        el("span", { class: "canned-title", lang: written }, article.title),
        el("span", { class: "canned-lang" }, t(`canned.lang.${article.language}`)),
        el("span", { class: "canned-preview", lang: written }, this.filled(choice)));
    } else {
      option = el("li", { role: "option", id, class: "canned-option mine", "data-reply": choice.reply.id },
        el("span", { class: "canned-title" }, choice.reply.title),
        el("span", { class: "canned-lang" }, t("canned.mine")),
        el("span", { class: "canned-preview" }, this.filled(choice)));
    }
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
    const count = this.choices.length;
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
    const choice = this.choices[this.active];
    this.remove.hidden = choice?.kind !== "mine";
    this.remove.textContent = choice?.kind === "mine" ? t("canned.delete", { title: choice.reply.title }) : "";
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

  /** Deletes the active choice, one of the agent's own; the list stays open on the rest. */
  private async deleteActive(): Promise<void> {
    const choice = this.choices[this.active];
    if (choice?.kind !== "mine") {
      return;
    }
    const reply = choice.reply;
    try {
      await request<void>("DELETE", `${this.repliesPath()}/${encodeURIComponent(reply.id)}`);
    } catch (e) {
      this.saveStatus.textContent = t("canned.deleteFailed", { message: messageOf(e) });
      return;
    }
    this.mine = this.mine.filter((r) => r.id !== reply.id);
    const choices = this.choices.filter((c) => !(c.kind === "mine" && c.reply.id === reply.id));
    const at = Math.min(this.active, choices.length - 1);
    this.show(choices, this.found);
    this.active = at;
    this.select();
    this.saveStatus.textContent = t("canned.deleted", { title: reply.title });
  }

  /** "Save as my reply": asks for a title, the reply box's first words offered. */
  private askTitle(): void {
    const text = this.reply?.value.trim() ?? "";
    if (!text) {
      this.saveStatus.textContent = t("canned.saveEmpty");
      this.reply?.focus();
      return;
    }
    this.close();
    this.saveForm.hidden = false;
    this.saveButton.hidden = true;
    this.saveStatus.textContent = "";
    this.saveTitle.value = [...text].slice(0, 40).join("").trim();
    this.saveTitle.focus();
    this.saveTitle.select();
  }

  private closeSave(focusReply: boolean): void {
    this.saveForm.hidden = true;
    this.saveButton.hidden = false;
    if (focusReply) {
      this.giveBack(null);
    }
  }

  private async save(): Promise<void> {
    const title = this.saveTitle.value.replace(/\s+/g, " ").trim();
    const text = this.reply?.value.trim() ?? "";
    if (!title || !text || !this.agentId) {
      this.saveStatus.textContent = t("canned.saveEmpty");
      return;
    }
    try {
      const id = `r-${crypto.randomUUID()}`;
      const saved = await request<SavedReply>("PUT", `${this.repliesPath()}/${id}`, { title, text: text.slice(0, maxText) });
      this.mine = [...this.mine, saved].sort((a, b) => a.title.localeCompare(b.title));
      this.closeSave(true);
      this.saveStatus.textContent = t("canned.saved", { title: saved.title });
    } catch (e) {
      this.saveStatus.textContent = t("canned.saveFailed", { message: messageOf(e) });
    }
  }

  private repliesPath(): string {
    return `/api/agents/${encodeURIComponent(this.agentId ?? "")}/replies`;
  }
}

function composing(event: Event): boolean {
  return event instanceof InputEvent && event.isComposing;
}

/** Whether a key press is the shortcut that opens the search: Ctrl+K, or ⌘K on a Mac. */
export function isSearchShortcut(event: KeyboardEvent): boolean {
  return (mac ? event.metaKey : event.ctrlKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k";
}
