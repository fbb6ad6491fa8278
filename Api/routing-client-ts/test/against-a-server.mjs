// The client in Node.js against a real server, as a channel bridge or a bot would use it: run by the server's suite
// (tests/Routing.Tests/Packages/TypeScriptClientPackageTests.cs), which makes the queue, the agent's account and a
// waiting conversation, and passes them in the environment. An agent signs in and goes Available, accepts the offer
// and greets; the customer, on the conversation's token, sees the greeting and answers; each side's messages arrive
// once and in order; the agent completes and the customer is told. Every step waits on the event it expects, with
// a deadline; any failure exits non-zero with what went wrong.
import { AgentClient, CustomerClient, RoutingHubError } from "../dist/index.js";

const { ROUTING_SERVER: server, ROUTING_AGENT: agentName, ROUTING_PASSWORD: password } = process.env;
const { ROUTING_CONVERSATION: conversationId, ROUTING_CUSTOMER_TOKEN: customerToken } = process.env;

/** A promise and the function that settles it, so a handler can say an event has come. */
function signal() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

async function within(promise, what, ms = 20000) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function expectEqual(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const signIn = await fetch(new URL("/api/auth/token", server), {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ userName: agentName, password }),
});
if (!signIn.ok) {
  throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
}
const { token } = await signIn.json();

const agent = new AgentClient({ server, accessToken: () => token, logLevel: "error" });
const agentSaw = [];
const offered = signal();
const customerReplied = signal();
agent.onOffer((offer) => offer.conversationId === conversationId && offered.resolve(offer));
agent.onMessage((id, message) => {
  if (id === conversationId) {
    agentSaw.push(`${message.sequence} ${message.from}: ${message.text}`);
    if (message.from === "customer" && message.text === "Thank you!") {
      customerReplied.resolve();
    }
  }
});
await within(agent.start(), "agent connection");
await agent.invoke("SetStatus", "Available", null);
const offer = await within(offered.promise, "offer");
if (!agent.offers.some((o) => o.conversationId === conversationId)) {
  throw new Error("the client does not hold the offer it was sent");
}
await agent.accept(offer.conversationId);

let customerTokenNow = customerToken;
const customer = new CustomerClient({ server, accessToken: () => customerTokenNow, logLevel: "error" });
const customerSaw = [];
const greeted = signal();
const ended = signal();
customer.onSnapshot(async () => {
  customerTokenNow = await customer.invoke("RenewToken");
});
customer.onMessage((message) => {
  customerSaw.push(`${message.sequence} ${message.from}: ${message.text}`);
  if (message.from === "agent") {
    greeted.resolve();
  }
});
customer.on("ConversationEnded", (state) => ended.resolve(state));
await within(customer.start(), "customer connection");

await agent.sendMessage(conversationId, "Hello from Node.");
await within(greeted.promise, "greeting at the customer");
await customer.sendMessage("Thank you!");
await within(customerReplied.promise, "reply at the agent");

const transcript = ["1 customer: Where is my parcel?", "2 agent: Hello from Node.", "3 customer: Thank you!"];
expectEqual(agentSaw, transcript, "the agent's messages");
expectEqual(customerSaw, transcript, "the customer's messages");
expectEqual(agent.transcript(conversationId).map((m) => m.sequence), [1, 2, 3], "the agent's transcript");

try {
  await agent.accept(conversationId);
  throw new Error("accepting a conversation already accepted was not refused");
} catch (error) {
  if (!(error instanceof RoutingHubError) || !error.code) {
    throw error;
  }
}

await agent.invoke("Complete", conversationId, "resolved");
expectEqual(await within(ended.promise, "end at the customer"), "Completed", "the customer's end (the queue has no wrap-up)");
await agent.invoke("SetStatus", "Offline", null);
await Promise.all([agent.stop(), customer.stop()]);
console.log("ok");
