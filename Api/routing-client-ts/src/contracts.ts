// The shapes the server sends over its hubs (camelCase JSON, enums as their names), by the names the server gives them.
// None is written here: they are generated from the server's OpenAPI document into generated/api.ts, so a server
// change the client does not follow fails its type check. `Schemas` has every other shape, the REST API's included.
import type { components } from "./generated/api.js";

/** Every shape of the server's OpenAPI document, by its schema name: `Schemas["QueueResponse"]`. */
export type Schemas = components["schemas"];

export type AgentStatus = Schemas["AgentStatus"];
export type ConversationState = Schemas["ConversationState"];
export type Customer = Schemas["Customer"];
export type SkillRequirementStep = Schemas["SkillRequirementStep"];
export type TranscriptMessage = Schemas["TranscriptMessage"];
/** An internal entry of a conversation: a supervisor's whisper, a monitor or barge-in step, a private note. */
export type ConversationNote = Schemas["ConversationNote"];
export type ConversationView = Schemas["ConversationView"];
export type QueuePosition = Schemas["QueuePosition"];

export type OfferNotice = Schemas["OfferNotice"];
export type AgentAssignment = Schemas["AgentAssignment"];
export type AgentDefinition = Schemas["AgentDefinition"];
export type AgentView = Schemas["AgentView"];
export type AgentConversation = Schemas["AgentConversation"];
export type AgentSnapshot = Schemas["AgentSnapshot"];

export type CustomerSnapshot = Schemas["CustomerSnapshot"];
/** An answer offered while the customer types in the self-service step (the customer hub's Suggest). */
export type Suggestion = Schemas["Suggestion"];

export type QueueStats = Schemas["QueueStats"];
export type QueueTick = Schemas["QueueTick"];
export type SupervisorSnapshot = Schemas["SupervisorSnapshot"];
export type AgentStatusChanged = Schemas["AgentStatusChanged"];
export type AgentLoadChanged = Schemas["AgentLoadChanged"];
export type WaitingView = Schemas["WaitingView"];
