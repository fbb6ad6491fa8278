// The customer's hub (/hubs/customer), connected with the conversation's customer token: the place in line, the agent
// joining, the messages of the one conversation (once and in order across reconnects), its end and the rating.
import type { CustomerSnapshot, TranscriptMessage } from "./contracts.js";
import { CustomerHubPath, type CustomerEventArgs, type CustomerMethodSignatures } from "./generated/hubs.js";
import { RealtimeHub, type RealtimeOptions } from "./realtime.js";
import { TranscriptFeed } from "./transcript.js";

/** A message of the conversation; `live` is false for one that came with a snapshot (history). */
export type CustomerMessageHandler = (message: TranscriptMessage, live: boolean) => void;

export class CustomerClient extends RealtimeHub<CustomerEventArgs, CustomerMethodSignatures, CustomerSnapshot> {
  readonly #feed = new TranscriptFeed();
  readonly #messageHandlers = new Set<CustomerMessageHandler>();
  /**
   * While a snapshot's handlers run: the messages it brought and any pushed meanwhile, handed on, in order, once the
   * handlers are done (null when no snapshot is being applied).
   */
  #held: [TranscriptMessage, boolean][] | null = null;

  /** `accessToken` answers the conversation's customer token (the newest, once renewed with RenewToken). */
  constructor(options: RealtimeOptions = {}) {
    super(CustomerHubPath, options);
    this.on("MessageReceived", (message) => this.#deliver([message], true));
  }

  /** The conversation's messages, in order, as far as they have arrived without a gap. */
  get transcript(): readonly TranscriptMessage[] {
    return this.#feed.messages;
  }

  /** Each message of the conversation, once and in order — pushed, answered or from a snapshot. */
  onMessage(handler: CustomerMessageHandler): () => void {
    this.#messageHandlers.add(handler);
    return () => this.#messageHandlers.delete(handler);
  }

  /** Writes to the agent (or, in the self-service step, asks the assistant); handed to the message handlers too. */
  async sendMessage(text: string): Promise<TranscriptMessage> {
    const sent = await this.invoke("SendMessage", text);
    this.#deliver([sent], true);
    return sent;
  }

  protected async takeSnapshot(): Promise<CustomerSnapshot> {
    const snapshot = await this.invoke("Resync", this.#feed.lastSequence);
    this.#held = this.#add(snapshot.transcript).map((message) => [message, false]);
    return snapshot;
  }

  protected override snapshotApplied(): void {
    const held = this.#held ?? [];
    this.#held = null;
    for (const [message, live] of held) {
      this.#messageHandlers.forEach((handler) => handler(message, live));
    }
  }

  #deliver(messages: readonly TranscriptMessage[], live: boolean): void {
    for (const message of this.#add(messages)) {
      if (this.#held) {
        this.#held.push([message, live]);
      } else {
        this.#messageHandlers.forEach((handler) => handler(message, live));
      }
    }
  }

  /** Takes messages into the feed; answers those now in order. */
  #add(messages: readonly TranscriptMessage[]): TranscriptMessage[] {
    const ready = this.#feed.add(messages);
    if (this.#feed.hasGap && this.connected) {
      void this.resync().catch(() => undefined); // a push overtook one we missed: the snapshot brings what lies between
    }
    return ready;
  }
}
