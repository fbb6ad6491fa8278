using System.Text.Json.Nodes;
using Routing.Api.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// Api/Routing.Api/openapi/v1.json is the OpenAPI document a production server serves with the default settings, kept in
/// the repository so that the TypeScript client's build generates its types from it (Api/routing-client-ts/codegen)
/// without running a server.
/// It cannot rot: when the served document differs, this test fails; run it with ROUTING_UPDATE_OPENAPI=1 to write the
/// served document there, and commit it.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    public static readonly string Committed = Path.Combine(Repository.Root, "Api", "Routing.Api", "openapi", "v1.json");

    private readonly ApiFactory _api = new() { EnvironmentName = "Production" };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheCommittedDocumentIsTheServedOne()
    {
        var served = await _api.CreateClient().GetStringAsync("/openapi/v1.json");
        if (Environment.GetEnvironmentVariable("ROUTING_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Committed)!);
            await File.WriteAllTextAsync(Committed, served.ReplaceLineEndings("\n").TrimEnd() + "\n");
        }
        Assert.True(File.Exists(Committed), $"{Committed} is missing: run this test with ROUTING_UPDATE_OPENAPI=1 and commit the file.");

        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Committed));
        Assert.True(
            JsonNode.DeepEquals(committed, JsonNode.Parse(served)),
            "The served OpenAPI document differs from Api/Routing.Api/openapi/v1.json: run "
                + "`ROUTING_UPDATE_OPENAPI=1 dotnet test tests/Routing.Tests --filter FullyQualifiedName~OpenApiDocumentTests` and "
                + "commit the file "
                + "(the pages' types are generated from it)."
        );
    }

    [Fact]
    public async Task TheDocumentDescribesEveryHubWithItsEventsAndMethods()
    {
        var hubs = JsonNode.Parse(await _api.CreateClient().GetStringAsync("/openapi/v1.json"))!["x-hubs"]!;

        Assert.Equal(["agent", "customer", "supervisor"], hubs.AsObject().Select(h => h.Key));
        foreach (var hub in RealtimeExtensions.Hubs)
        {
            Assert.Equal(hub.Path, hubs[hub.Name]!["path"]!.GetValue<string>());
            Assert.Equal(
                hub.Events.Select(e => e.Name).Order(StringComparer.Ordinal),
                hubs[hub.Name]!["events"]!.AsObject().Select(e => e.Key)
            );
            Assert.Equal(
                hub.Methods.Select(e => e.Name).Order(StringComparer.Ordinal),
                hubs[hub.Name]!["methods"]!.AsObject().Select(e => e.Key)
            );
        }
        // Each member's arguments in order with their schemas (the project's types by reference), and a method's answer.
        var received = hubs["agent"]!["events"]!["MessageReceived"]!["parameters"]!.AsArray();
        Assert.Equal(["conversationId", "message"], received.Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("string", received[0]!["schema"]!["type"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/TranscriptMessage", received[1]!["schema"]!["$ref"]!.GetValue<string>());
        var complete = hubs["agent"]!["methods"]!["Complete"]!;
        Assert.Equal(
            ["string", "null"],
            complete["parameters"]![1]!["schema"]!["anyOf"]!.AsArray().Select(s => s!["type"]!.GetValue<string>())
        );
        Assert.Equal("#/components/schemas/ConversationView", complete["returns"]!["$ref"]!.GetValue<string>());
        Assert.Null(hubs["agent"]!["methods"]!["Typing"]!["returns"]);
        // The hub classes are the ones the descriptions name.
        Assert.Equal(typeof(AgentHub).BaseType!.GetGenericArguments()[0], RealtimeExtensions.Hubs[0].Client);
        Assert.Equal(typeof(CustomerHub).BaseType!.GetGenericArguments()[0], RealtimeExtensions.Hubs[1].Client);
        Assert.Equal(typeof(SupervisorHub).BaseType!.GetGenericArguments()[0], RealtimeExtensions.Hubs[2].Client);
        Assert.Contains(RealtimeExtensions.Hubs[0].Server, typeof(AgentHub).GetInterfaces());
        Assert.Contains(RealtimeExtensions.Hubs[1].Server, typeof(CustomerHub).GetInterfaces());
        Assert.Contains(RealtimeExtensions.Hubs[2].Server, typeof(SupervisorHub).GetInterfaces());
    }
}
