// The supervisors' hub (/hubs/supervisor): every queue's figures and every agent's state as they change, and the
// conversations a supervisor monitors (docs/supervision.md). Monitoring belongs to a connection, so after every
// reconnect the client monitors again what it monitored, and hands on each monitored message once and in order.
import type { ConversationView, SupervisorSnapshot, TranscriptMessage } from "./contracts.js";
import { SupervisorHubPath, type SupervisorEventArgs, type SupervisorMethodSignatures } from "./generated/hubs.js";
import { RealtimeHub, type RealtimeOptions } from "./realtime.js";
import { TranscriptFeed } from "./transcript.js";

/** A message of a monitored conversation; `live` is false for one that came with the conversation's view (history). */
export type MonitoredMessageHandler = (conversationId: string, message: TranscriptMessage, live: boolean) => void;

export class SupervisorClient extends RealtimeHub<SupervisorEventArgs, SupervisorMethodSignatures, SupervisorSnapshot> {
  readonly #monitored = new Map<string, TranscriptFeed>();
  readonly #messageHandlers = new Set<MonitoredMessageHandler>();
  readonly #monitoredHandlers = new Set<(view: ConversationView) => void>();
  readonly #lostHandlers = new Set<(conversationId: string, error: unknown) => void>();

  constructor(options: RealtimeOptions = {}) {
    super(SupervisorHubPath, options);
    this.on("MonitoredMessage", (conversationId, message) => this.#deliver(conversationId, [message], true));
  }

  /** The conversations being monitored. */
  get monitoring(): readonly string[] {
    return [...this.#monitored.keys()];
  }

  /** A monitored conversation's messages, in order, as far as they have arrived without a gap. */
  transcript(conversationId: string): readonly TranscriptMessage[] {
    return this.#monitored.get(conversationId)?.messages ?? [];
  }

  /** Each message of each monitored conversation, once and in order. */
  onMessage(handler: MonitoredMessageHandler): () => void {
    this.#messageHandlers.add(handler);
    return () => this.#messageHandlers.delete(handler);
  }

  /** A monitored conversation monitored again after a reconnect: its view, whole. */
  onMonitored(handler: (view: ConversationView) => void): () => void {
    this.#monitoredHandlers.add(handler);
    return () => this.#monitoredHandlers.delete(handler);
  }

  /** A monitored conversation that could not be monitored again after a reconnect (it ended meanwhile): forgotten. */
  onMonitorLost(handler: (conversationId: string, error: unknown) => void): () => void {
    this.#lostHandlers.add(handler);
    return () => this.#lostHandlers.delete(handler);
  }

  /** Starts monitoring a live conversation: its view now, then its messages, notes and changes as they happen. */
  async monitor(conversationId: string): Promise<ConversationView> {
    const view = await this.invoke("Monitor", conversationId);
    this.#monitored.set(conversationId, this.#monitored.get(conversationId) ?? new TranscriptFeed());
    this.#deliver(conversationId, view.transcript, false);
    return view;
  }

  /** Stops monitoring; what the server sends meanwhile about the conversation is no longer handed on. */
  async stopMonitoring(conversationId: string): Promise<void> {
    this.#monitored.delete(conversationId);
    if (this.connected) {
      await this.invoke("StopMonitoring", conversationId);
    }
  }

  protected async takeSnapshot(): Promise<SupervisorSnapshot> {
    const snapshot = await this.invoke("Resync");
    for (const conversationId of this.#monitored.keys()) {
      let view: ConversationView;
      try {
        view = await this.monitor(conversationId);
      } catch (error) {
        this.#monitored.delete(conversationId);
        this.#lostHandlers.forEach((handler) => handler(conversationId, error));
        continue;
      }
      this.#monitoredHandlers.forEach((handler) => handler(view));
    }
    return snapshot;
  }

  #deliver(conversationId: string, messages: readonly TranscriptMessage[], live: boolean): void {
    const feed = this.#monitored.get(conversationId);
    if (!feed) {
      return; // no longer monitored
    }
    for (const message of feed.add(messages)) {
      this.#messageHandlers.forEach((handler) => handler(conversationId, message, live));
    }
  }
}
