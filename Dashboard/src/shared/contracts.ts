// The shapes the server sends (camelCase JSON over the REST API and the SignalR hubs; enums as names), named as the
// pages use them, and the REST call every page makes. The shapes are not written here: they are generated at build
// (Dashboard/codegen) from the server's OpenAPI document into ../generated/api.d.ts, so a change on the server that
// the pages do not follow fails the pages' type check.
import type { components } from "../generated/api";
import { bearer, expire } from "./session";

type Schemas = components["schemas"];

export type AgentStatus = Schemas["AgentStatus"];
export type ConversationState = Schemas["ConversationState"];

export type SkillStep = Schemas["SkillRequirementStep"];
export type Customer = Schemas["Customer"];
export type TranscriptMessage = Schemas["TranscriptMessage"];
/** An internal entry of a conversation (docs/supervision.md): a whisper, or a monitor or barge-in step. */
export type ConversationNote = Schemas["ConversationNote"];
/** A conversation's customer with their earlier conversations (GET /api/conversations/{id}/history). */
export type CustomerHistory = Schemas["CustomerHistoryResponse"];
export type QueuePosition = Schemas["QueuePosition"];

export type OfferNotice = Schemas["OfferNotice"];
export type AgentAssignment = Schemas["AgentAssignment"];
export type AgentDefinition = Schemas["AgentDefinition"];
export type AgentView = Schemas["AgentView"];
/** An agent as the REST API answers (GET /api/agents). */
export type AgentResource = Schemas["AgentResponse"];
export type AgentConversation = Schemas["AgentConversation"];
export type AgentSnapshot = Schemas["AgentSnapshot"];
export type ConversationView = Schemas["ConversationView"];
/** A conversation as the REST API answers (its creation carries the customer token). */
export type ConversationResource = Schemas["ConversationResponse"];
export type CustomerSnapshot = Schemas["CustomerSnapshot"];
export type QueueStats = Schemas["QueueStats"];
export type QueueTick = Schemas["QueueTick"];
export type SupervisorSnapshot = Schemas["SupervisorSnapshot"];
export type AgentStatusChanged = Schemas["AgentStatusChanged"];
export type AgentLoadChanged = Schemas["AgentLoadChanged"];
export type WaitingView = Schemas["WaitingView"];
/** A queue as the REST API answers (GET /api/queues). */
export type QueueInfo = Schemas["QueueResponse"];
export type ChatTopic = Schemas["ChatTopic"];
/** One answer of the knowledge base's search (GET /api/knowledge/search): the article, best first. */
export type KnowledgeHit = Schemas["SearchHitResponse"];
/** One of the agent's own saved replies (GET /api/agents/{agentId}/replies). */
export type SavedReply = Schemas["ReplyResponse"];
/** An answer offered while the customer types in the self-service step (the customer hub's Suggest). */
export type Suggestion = Schemas["Suggestion"];

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
  return request<T>(body === undefined ? "GET" : "POST", path, body);
}

/** A REST call with any method: the body, when given, as JSON; a 204 answers undefined. */
export async function request<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
  const token = bearer();
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  const response = await fetch(path, body === undefined
    ? { method, headers }
    : { method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    if (response.status === 401 && token) {
      expire();
    }
    throw new ApiError(problem.detail ?? problem.title ?? `${response.status}`, response.status, problem.code ?? null);
  }
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}
