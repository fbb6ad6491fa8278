// The agent's hub (/hubs/agent): offers, the conversations the agent serves and their messages, the agent's status.
// The client keeps the offers the agent holds and each conversation's transcript, so that after a reconnect it asks
// only for what it has not seen, and hands each message on once and in order.
import type { AgentSnapshot, ConversationView, OfferNotice, TranscriptMessage } from "./contracts.js";
import { AgentHubPath, type AgentEventArgs, type AgentMethodSignatures } from "./generated/hubs.js";
import { RealtimeHub, type RealtimeOptions } from "./realtime.js";
import { TranscriptFeed } from "./transcript.js";

export interface AgentClientOptions extends RealtimeOptions {
  /**
   * The agent to be, for a token that may act for several (an admin's, an API key's); left out, the token's own agent
   * (an agent account's).
   */
  agentId?: string;
}

/** A message of a conversation the agent serves; `live` is false for one that came with a snapshot (history). */
export type AgentMessageHandler = (conversationId: string, message: TranscriptMessage, live: boolean) => void;

export class AgentClient extends RealtimeHub<AgentEventArgs, AgentMethodSignatures, AgentSnapshot> {
  readonly #offers = new Map<string, OfferNotice>();
  readonly #feeds = new Map<string, TranscriptFeed>();
  readonly #messageHandlers = new Set<AgentMessageHandler>();
  readonly #offerHandlers = new Set<(offer: OfferNotice) => void>();
  /**
   * While a snapshot's handlers run: the messages it brought and any pushed meanwhile, handed on, in order, once the
   * handlers are done (null when no snapshot is being applied).
   */
  #held: [string, TranscriptMessage, boolean][] | null = null;

  constructor(options: AgentClientOptions = {}) {
    super(options.agentId ? `${AgentHubPath}?agentId=${encodeURIComponent(options.agentId)}` : AgentHubPath, options);
    // Registered first, so the client's own state is current when the user's handlers of the same event run.
    this.on("OfferReceived", (offer) => this.#hold([offer]));
    this.on("OfferEnded", (conversationId) => void this.#offers.delete(conversationId));
    this.on("MessageReceived", (conversationId, message) => this.#deliver(conversationId, [message], true));
  }

  /** The offers the agent holds now, oldest first. */
  get offers(): readonly OfferNotice[] {
    return [...this.#offers.values()];
  }

  /**
   * Each offer the agent comes to hold, once: pushed, or — one made while the connection was down, whose push was
   * lost — from the snapshot after the reconnect. A desk that takes offers here misses none; a push repeated (a grain
   * activated afresh tells its connections again) is not handed on twice.
   */
  onOffer(handler: (offer: OfferNotice) => void): () => void {
    this.#offerHandlers.add(handler);
    return () => this.#offerHandlers.delete(handler);
  }

  /** The messages of a conversation the agent serves, in order, as far as they have arrived without a gap. */
  transcript(conversationId: string): readonly TranscriptMessage[] {
    return this.#feeds.get(conversationId)?.messages ?? [];
  }

  /** Each message of each conversation the agent serves, once and in order — pushed, answered or from a snapshot. */
  onMessage(handler: AgentMessageHandler): () => void {
    this.#messageHandlers.add(handler);
    return () => this.#messageHandlers.delete(handler);
  }

  /**
   * Takes an offer: the conversation is the agent's. Answered or refused (it expired, another took it), the offer is
   * no longer held; were the connection down, the snapshot after the reconnect brings it back if it still stands.
   */
  async accept(conversationId: string): Promise<ConversationView> {
    try {
      return await this.invoke("Accept", conversationId);
    } finally {
      this.#offers.delete(conversationId);
    }
  }

  /** Turns an offer down: the conversation goes back to its queue. The offer is no longer held, as with accept. */
  async decline(conversationId: string): Promise<ConversationView> {
    try {
      return await this.invoke("Decline", conversationId);
    } finally {
      this.#offers.delete(conversationId);
    }
  }

  /** Writes to the customer; the message sent is handed to the message handlers like any other. */
  async sendMessage(conversationId: string, text: string): Promise<TranscriptMessage> {
    const sent = await this.invoke("SendMessage", conversationId, text);
    this.#deliver(conversationId, [sent], true);
    return sent;
  }

  protected async takeSnapshot(): Promise<AgentSnapshot> {
    const lastSeen: Record<string, number> = {};
    for (const [conversationId, feed] of this.#feeds) {
      lastSeen[conversationId] = feed.lastSequence;
    }
    const offeredBefore = new Map(this.#offers); // an offer pushed while the snapshot is on its way is kept
    const snapshot = await this.invoke("Resync", lastSeen);
    const offered = new Set(snapshot.offers.map((o) => o.conversationId));
    offeredBefore.forEach((offer, id) => offered.has(id) || this.#offers.get(id) !== offer || this.#offers.delete(id));
    this.#hold(snapshot.offers);
    const held = new Set(snapshot.conversations.map((c) => c.conversationId));
    [...this.#feeds.keys()].filter((id) => !held.has(id)).forEach((id) => this.#feeds.delete(id));
    this.#held ??= [];
    for (const conversation of snapshot.conversations) {
      for (const message of this.#add(conversation.conversationId, conversation.transcript)) {
        this.#held.push([conversation.conversationId, message, false]);
      }
    }
    return snapshot;
  }

  protected override snapshotApplied(): void {
    const held = this.#held ?? [];
    this.#held = null;
    for (const [conversationId, message, live] of held) {
      this.#messageHandlers.forEach((handler) => handler(conversationId, message, live));
    }
  }

  /**
   * Holds offers; those not held before are handed to the offer handlers. A conversation offered again to the same
   * agent (its first offer lost with a node) is a new offer: it expires at another time.
   */
  #hold(offers: readonly OfferNotice[]): void {
    const fresh = offers.filter((o) => this.#offers.get(o.conversationId)?.expiresAt !== o.expiresAt);
    offers.forEach((o) => this.#offers.set(o.conversationId, o));
    fresh.forEach((offer) => this.#offerHandlers.forEach((handler) => handler(offer)));
  }

  #deliver(conversationId: string, messages: readonly TranscriptMessage[], live: boolean): void {
    for (const message of this.#add(conversationId, messages)) {
      if (this.#held) {
        this.#held.push([conversationId, message, live]);
      } else {
        this.#messageHandlers.forEach((handler) => handler(conversationId, message, live));
      }
    }
  }

  /** Takes messages into the conversation's feed; answers those now in order. */
  #add(conversationId: string, messages: readonly TranscriptMessage[]): TranscriptMessage[] {
    let feed = this.#feeds.get(conversationId);
    if (!feed) {
      this.#feeds.set(conversationId, (feed = new TranscriptFeed()));
    }
    const ready = feed.add(messages);
    if (feed.hasGap && this.connected) {
      void this.resync().catch(() => undefined); // a push overtook one we missed: the snapshot brings what lies between
    }
    return ready;
  }
}
