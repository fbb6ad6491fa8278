using ConsoleDesk;
using Routing.Tests.Browser;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Samples;

/// <summary>
/// The sample console desk (samples/ConsoleDesk, README "Build your own desk") against a real server — the browser tests'
/// silo process — so it cannot rot: it signs in with an agent's account, goes Available, takes the waiting customer's
/// offer, shows what the customer wrote, greets, completes with a disposition and goes Offline.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class ConsoleDeskTests(BrowserFixture server)
{
    [Fact]
    public async Task TheConsoleDeskTakesAnOfferAnswersAndCompletesIt()
    {
        var http = server.Http;
        await http.Put("/api/queues/console", new { name = "Console", wrapUpSeconds = new { chat = 0 } });
        await http.Put("/api/agents/cody", new { name = "Cody", queues = new[] { new { queueId = "console" } } });
        var password = await server.AccountAsync("cody");
        var created = await (
            await http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "console",
                    customer = new
                    {
                        id = "console-1",
                        name = "Chen",
                        tier = "gold",
                    },
                    message = "Can I change my delivery address?",
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;

        var written = new StringWriter();
        var output = TextWriter.Synchronized(written); // the hub's events write from other threads
        var options = DeskOptions.Parse([
            "--server",
            server.Silo.Address.ToString(),
            "--user",
            "cody",
            "--password",
            password,
            "--once",
            "--disposition",
            "resolved",
        ]);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await TerminalDesk.RunAsync(options, TextReader.Null, output, deadline.Token));

        var said = written.ToString();
        Assert.Contains("cody is Available; waiting for an offer.", said);
        Assert.Contains("Offer: Chen (gold) on chat in queue console", said);
        Assert.Contains($"[{id}] customer: Can I change my delivery address?", said);
        Assert.Contains($"[{id}] completed (Completed)", said);
        Assert.EndsWith("cody is Offline." + Environment.NewLine, said);
        var done = await (await http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal("Completed", done.GetProperty("state").GetString());
        Assert.Equal("cody", done.GetProperty("agentId").GetString());
        Assert.Equal("resolved", done.GetProperty("disposition").GetString());
        Assert.Equal(
            ["customer: Can I change my delivery address?", "agent: Hello, thank you for waiting. How can I help?"],
            done.GetProperty("transcript").EnumerateArray().Select(m => $"{m.GetProperty("from")}: {m.GetProperty("text")}")
        );
        Assert.Equal("Offline", (await (await http.GetAsync("/api/agents/cody")).Body()).GetProperty("status").GetString());
    }

    [Fact]
    public void AMissingOrUnknownArgumentIsRefusedWithTheUsage()
    {
        var missing = Assert.Throws<ArgumentException>(() => DeskOptions.Parse(["--server", "http://localhost:5080", "--user", "ann"]));
        Assert.Contains("--password is missing", missing.Message);
        Assert.Contains(DeskOptions.Usage, missing.Message);
        Assert.Contains("'--colour' is not understood", Assert.Throws<ArgumentException>(() => DeskOptions.Parse(["--colour"])).Message);
    }
}
