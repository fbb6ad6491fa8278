using Routing.Tests.Browser;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Packages;

/// <summary>
/// The TypeScript client in Node.js, as a channel bridge or a bot runs it, against a real server (the browser tests'
/// silo process): Api/routing-client-ts/test/against-a-server.mjs signs an agent in, takes the offer, and carries a
/// conversation between the agent and the customer (on the conversation's customer token), each side's messages
/// once and in order, to its end. The pages cover the client in a browser.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class TypeScriptClientInNodeTests(BrowserFixture server)
{
    [Fact]
    public async Task AnAgentAndACustomerInNodeCarryAConversationToItsEnd()
    {
        var http = server.Http;
        await http.Put("/api/queues/node", new { name = "Node", offerTimeoutSeconds = 120 });
        await http.Put("/api/agents/nadia", new { name = "Nadia", queues = new[] { new { queueId = "node" } } });
        var password = await server.AccountAsync("nadia");
        var created = await (
            await http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "node",
                    customer = new { id = "node-1", name = "Noor" },
                    message = "Where is my parcel?",
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;

        var said = await Command.RunAsync(
            "node",
            ["test/against-a-server.mjs"],
            Path.Combine(Repository.Root, "Api", "routing-client-ts"),
            new Dictionary<string, string>
            {
                ["ROUTING_SERVER"] = server.Silo.Address.ToString(),
                ["ROUTING_AGENT"] = "nadia",
                ["ROUTING_PASSWORD"] = password,
                ["ROUTING_CONVERSATION"] = id,
                ["ROUTING_CUSTOMER_TOKEN"] = created.GetProperty("customerToken").GetString()!,
            }
        );

        Assert.Equal("ok", said.Trim());
        var done = await (await http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal("nadia", done.GetProperty("agentId").GetString());
        Assert.Equal("resolved", done.GetProperty("disposition").GetString());
        Assert.Equal(
            ["customer: Where is my parcel?", "agent: Hello from Node.", "customer: Thank you!"],
            done.GetProperty("transcript").EnumerateArray().Select(m => $"{m.GetProperty("from")}: {m.GetProperty("text")}")
        );
    }
}
