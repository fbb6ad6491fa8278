// routing-client: a typed client for the Routing server's realtime hubs (README.md). Each hub's events and methods
// are typed from the server's own contract (its OpenAPI document's x-hubs, generated into generated/hubs.ts).
export { AgentClient, type AgentClientOptions, type AgentMessageHandler } from "./agent.js";
export { CustomerClient, type CustomerMessageHandler } from "./customer.js";
export { SupervisorClient, type MonitoredMessageHandler } from "./supervisor.js";
export { RealtimeHub, type EventMap, type MethodMap, type RealtimeOptions } from "./realtime.js";
export { TranscriptFeed } from "./transcript.js";
export { codeOf, messageOf, RoutingHubError } from "./errors.js";
export * from "./contracts.js";
export * from "./generated/hubs.js";
export type { components, paths } from "./generated/api.js";
