// What a refusal from the server looks like to a client. A hub method the server refuses throws a HubException whose
// message is the JSON {code, field, detail} (HubErrors on the server); SignalR hands it over as text after
// "HubException: ", which is turned back into a RoutingHubError with the stable code (docs/realtime.md).

/** A hub method's refusal: the server's stable code, the field it concerns if any, and its detail as the message. */
export class RoutingHubError extends Error {
  readonly code: string;
  readonly field: string | null;

  constructor(code: string, detail: string, field: string | null = null) {
    super(detail);
    this.name = "RoutingHubError";
    this.code = code;
    this.field = field;
  }
}

/** A SignalR error carrying the server's refusal, as a RoutingHubError; any other error as it is. */
export function toHubError(error: unknown): unknown {
  if (error instanceof RoutingHubError) {
    return error;
  }
  const refusal = parseRefusal(error);
  return refusal?.code ? new RoutingHubError(refusal.code, refusal.detail ?? refusal.code, refusal.field ?? null) : error;
}

/** The stable code of a refusal — a RoutingHubError's, or any error's with a string `code` (a REST problem) — if any. */
export function codeOf(error: unknown): string | null {
  if (error instanceof Error && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return parseRefusal(error)?.code ?? null;
}

/** What to tell a person about an error: a refusal's detail, or the error's text without SignalR's prefixes. */
export function messageOf(error: unknown): string {
  const refusal = parseRefusal(error);
  if (refusal?.detail) {
    return refusal.detail;
  }
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^.*HubException: /, "");
}

interface Refusal {
  code?: string;
  field?: string | null;
  detail?: string;
}

function parseRefusal(error: unknown): Refusal | null {
  const text = error instanceof Error ? error.message : String(error);
  const at = text.indexOf("HubException: {");
  if (at < 0) {
    return null;
  }
  try {
    return JSON.parse(text.slice(at + "HubException: ".length)) as Refusal;
  } catch {
    return null; // a HubException of someone else's making: its text is the message
  }
}

/** The negotiation was answered 401: the token is missing, expired or not valid (SignalR says so in its message). */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof Error && error.message.includes("Status code '401'");
}

/**
 * A refusal of the connection itself that no retry changes until someone acts (closes another desk, signs in as
 * someone else): too many connections for the agent, a token for another agent, an agent that does not exist.
 */
export function isPermanent(error: unknown): boolean {
  return permanentCodes.has(codeOf(error) ?? "");
}

const permanentCodes = new Set(["too-many-connections", "not-your-agent", "agent-not-found", "invalid-id", "forbidden"]);
