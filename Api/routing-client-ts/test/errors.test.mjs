// A hub refusal arrives as text after "HubException: "; the client gives it back its stable code.
import assert from "node:assert/strict";
import { test } from "node:test";
import { codeOf, messageOf, RoutingHubError } from "../dist/index.js";
import { toHubError } from "../dist/errors.js";

const refusal = new Error(
  `An unexpected error occurred invoking 'Accept' on the server. HubException: {"code":"offer-expired","field":null,"detail":"The offer has expired."}`,
);

test("a server refusal becomes a RoutingHubError with its code and detail", () => {
  const error = toHubError(refusal);
  assert.ok(error instanceof RoutingHubError);
  assert.equal(error.code, "offer-expired");
  assert.equal(error.message, "The offer has expired.");
  assert.equal(codeOf(refusal), "offer-expired");
  assert.equal(messageOf(refusal), "The offer has expired.");
});

test("any other error is left as it is", () => {
  const other = new Error("WebSocket closed with status code: 1006.");
  assert.equal(toHubError(other), other);
  assert.equal(codeOf(other), null);
  assert.equal(messageOf(other), "WebSocket closed with status code: 1006.");
  const foreign = new Error("HubException: {not json");
  assert.equal(toHubError(foreign), foreign);
  assert.equal(messageOf(foreign), "{not json");
});

test("an error that carries a code of its own (a REST problem) keeps it", () => {
  const problem = Object.assign(new Error("Queue is full."), { code: "queue-full" });
  assert.equal(codeOf(problem), "queue-full");
});
