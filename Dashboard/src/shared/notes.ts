// A conversation's transcript with its internal notes (docs/supervision.md) as one list in time order, for the desk and
// the dashboard's monitor: the customer's widget never gets the notes. Notes are numbered on their own, so each list is
// kept by sequence and the two are merged by time (a message before a note written in the same instant).
import type { ConversationNote, TranscriptMessage } from "./contracts";
import { el } from "./dom";
import { time } from "./format";
import { t } from "./i18n";

export type Entry = { message: TranscriptMessage } | { note: ConversationNote };

export function merged(transcript: TranscriptMessage[], notes: ConversationNote[]): Entry[] {
  const entries: Entry[] = [...transcript.map((message) => ({ message })), ...notes.map((note) => ({ note }))];
  const at = (e: Entry): number => new Date("message" in e ? e.message.at : e.note.at).getTime();
  return entries.sort((a, b) => at(a) - at(b) || ("message" in a ? -1 : 1) - ("message" in b ? -1 : 1));
}

/** Adds a note to a list kept by sequence, once. */
export function withNote(notes: ConversationNote[], note: ConversationNote): ConversationNote[] {
  return notes.some((n) => n.sequence === note.sequence) ? notes : [...notes, note].sort((a, b) => a.sequence - b.sequence);
}

/** A note as a line of the transcript, marked internal. */
export function noteLine(note: ConversationNote): HTMLLIElement {
  return el("li", { class: `note ${note.kind}`, "data-note": String(note.sequence) },
    el("span", { class: "who" }, el("span", { class: "badge internal" }, t("note.internal")), " ", t(`note.${note.kind}`, { name: note.by })),
    note.text ? el("span", { class: "text" }, note.text) : null,
    el("time", { datetime: note.at }, time(note.at)));
}
