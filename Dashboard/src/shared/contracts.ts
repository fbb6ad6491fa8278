// The shapes the server sends (camelCase JSON over the REST API and the SignalR hubs; enums as names), and the
// REST call every page makes.
import { bearer, expire } from "./session";

export type AgentStatus = "Available" | "Away" | "Offline";
export type ConversationState = "Created" | "Queued" | "Offered" | "Connected" | "WrapUp" | "Completed" | "Abandoned";

export interface SkillStep { requirements: Record<string, number>; seconds: number | null }
export interface Customer { id: string; name: string | null; tier: string }
export interface TranscriptMessage { sequence: number; at: string; from: "customer" | "agent"; agentId: string | null; text: string }
export interface QueuePosition { position: number; estimatedWaitSeconds: number | null; unservable: string | null }

export interface OfferNotice {
  conversationId: string; channel: string; queueId: string; customerName: string | null; tier: string;
  skills: SkillStep[]; waitingSince: string; expiresAt: string;
}
export interface AgentAssignment { conversationId: string; channel: string; queueId: string; state: ConversationState; since: string }
export interface AgentDefinition {
  name: string; skills: Record<string, number>; capacity: Record<string, number>; maxTotal: number | null;
  queues: { queueId: string; rank: number }[];
}
export interface AgentView {
  agentId: string; definition: AgentDefinition; status: AgentStatus; reason: string | null; statusSince: string;
  idleSince: string; missedOffersInRow: number; assignments: AgentAssignment[]; offers: unknown[];
}
/** An agent as the REST API answers (GET /api/agents). */
export interface AgentResource { id: string; name: string; queues: { queueId: string; rank: number }[]; status: AgentStatus }
export interface AgentConversation {
  conversationId: string; state: ConversationState; channel: string; queueId: string; customer: Customer;
  createdAt: string; transcript: TranscriptMessage[];
}
export interface AgentSnapshot { agent: AgentView; offers: OfferNotice[]; conversations: AgentConversation[] }
export interface ConversationView {
  conversationId: string; state: ConversationState; channel: string; queueId: string; customer: Customer;
  agentId: string | null; transcript: TranscriptMessage[];
}
export interface CustomerSnapshot {
  conversationId: string; state: ConversationState; position: QueuePosition | null; agentName: string | null;
  transcript: TranscriptMessage[]; rating: number | null;
}
export interface QueueStats {
  queueId: string; at: string; waiting: number; longestWaitSeconds: number; unservable: number;
  agentsAvailable: number; agentsBusy: number; agentsAway: number; agentsOffline: number;
  offered: number; connected: number; abandoned: number; completed: number;
  serviceLevelPercent: number | null; averageSpeedOfAnswerSeconds: number | null; averageHandleTimeSeconds: number | null;
  estimatedWaitSeconds: number | null; windowSeconds: number;
}
export interface QueueTick { at: string; waiting: number; longestWaitSeconds: number; serviceLevelPercent: number | null }
export interface SupervisorSnapshot { queues: QueueStats[]; agents: AgentView[]; history: Record<string, QueueTick[]> }
export interface AgentStatusChanged { at: string; workspace: string; agentId: string; status: AgentStatus; reason: string | null }
export interface AgentLoadChanged { at: string; agentId: string; inUse: Record<string, number>; capacity: Record<string, number>; maxTotal: number | null }
export interface WaitingView {
  conversationId: string; channel: string; customerName: string | null; tier: string | null; priority: number;
  waitingSince: string; skills: SkillStep[]; step: number; excludedAgents: string[]; unservable: string | null; offering: boolean;
}
export interface QueueInfo { id: string; name: string; serviceLevel: { targetSeconds: number; percent: number } }
export interface ChatTopic { id: string; name: string; names: Record<string, string>; queueId: string; skills: SkillStep[] }

/** A refusal of the REST API: its problem details' status, stable code and detail (the message). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;

  constructor(message: string, status: number, code: string | null) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * GET/POST JSON with the page's bearer token, if it signed in; a problem-details answer becomes an ApiError. A 401
 * to a signed-in page means its token no longer works: the page returns to the sign-in form.
 */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const token = bearer();
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  const response = await fetch(path, body === undefined
    ? { headers }
    : { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    if (response.status === 401 && token) {
      expire();
    }
    throw new ApiError(problem.detail ?? problem.title ?? `${response.status}`, response.status, problem.code ?? null);
  }
  return (await response.json()) as T;
}
