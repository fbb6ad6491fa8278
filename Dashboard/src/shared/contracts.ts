// The shapes the server sends (camelCase JSON over the REST API and the SignalR hubs; enums as names), named as the
// pages use them, and the REST call every page makes. The shapes are not written here: the TypeScript client
// (Api/routing-client-ts) generates them at build from the server's OpenAPI document, so a change on the server that
// the pages do not follow fails the pages' type check. The hubs' shapes keep the client's names.
import type { Schemas } from "routing-client";
import { bearer, expire } from "./session";

export type {
  AgentAssignment, AgentConversation, AgentDefinition, AgentLoadChanged, AgentSnapshot, AgentStatus, AgentStatusChanged, AgentView,
  ConversationNote, ConversationState, ConversationView, Customer, CustomerSnapshot, OfferNotice, QueuePosition, QueueStats, QueueTick,
  Suggestion, SupervisorSnapshot, TranscriptMessage, WaitingView,
} from "routing-client";

export type SkillStep = Schemas["SkillRequirementStep"];
/** A conversation's customer with their earlier conversations (GET /api/conversations/{id}/history). */
export type CustomerHistory = Schemas["CustomerHistoryResponse"];
/** An agent as the REST API answers (GET /api/agents). */
export type AgentResource = Schemas["AgentResponse"];
/** A conversation as the REST API answers (its creation carries the customer token). */
export type ConversationResource = Schemas["ConversationResponse"];
/** A queue as the REST API answers (GET /api/queues). */
export type QueueInfo = Schemas["QueueResponse"];
export type ChatTopic = Schemas["ChatTopic"];
/** One answer of the knowledge base's search (GET /api/knowledge/search): the article, best first. */
export type KnowledgeHit = Schemas["SearchHitResponse"];
/** One of the agent's own saved replies (GET /api/agents/{agentId}/replies). */
export type SavedReply = Schemas["ReplyResponse"];

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
