import type { TranscriptMessage } from "./contracts.js";

/**
 * One conversation's transcript as a client sees it: in sequence order, each message once, whatever order pushes,
 * answers and snapshots arrive in. A message that arrives ahead of a gap waits until the gap is filled (the client
 * then asks for a snapshot, which brings what lies between). The .NET client's TranscriptFeed does the same.
 */
export class TranscriptFeed {
  readonly #messages: TranscriptMessage[] = [];
  readonly #early = new Map<number, TranscriptMessage>();
  #last = 0;

  /** The messages delivered so far, in order. */
  get messages(): readonly TranscriptMessage[] {
    return this.#messages;
  }

  /** The sequence of the last message delivered in order: what a resynchronisation asks to be sent after. */
  get lastSequence(): number {
    return this.#last;
  }

  /** Whether a message is waiting for an earlier one that has not arrived. */
  get hasGap(): boolean {
    return this.#early.size > 0;
  }

  /** Takes messages (pushed, answered or from a snapshot) and returns those now deliverable, in order. */
  add(messages: Iterable<TranscriptMessage>): TranscriptMessage[] {
    for (const message of messages) {
      if (message.sequence > this.#last) {
        this.#early.set(message.sequence, message);
      }
    }
    const delivered: TranscriptMessage[] = [];
    for (let next = this.#early.get(this.#last + 1); next; next = this.#early.get(this.#last + 1)) {
      this.#early.delete(next.sequence);
      this.#messages.push(next);
      delivered.push(next);
      this.#last = next.sequence;
    }
    return delivered;
  }
}
