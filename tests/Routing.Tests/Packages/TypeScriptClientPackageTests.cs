using System.Reflection;
using System.Text.Json;
using Routing.Client;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Packages;

/// <summary>
/// The TypeScript client an integrator takes (Api/routing-client-ts, docs/realtime.md "Clients and their packages"): it
/// carries the repository's one version and the MIT licence, depends on the SignalR client alone, packs its built code
/// with its types and README, and its own tests pass; the pages reach the hubs only through it.
/// </summary>
public sealed class TypeScriptClientPackageTests
{
    private static readonly string ClientDirectory = Path.Combine(Repository.Root, "Api", "routing-client-ts");

    [Fact]
    public void ItCarriesTheOneVersionTheLicenceAndOnlyTheSignalRClient()
    {
        var package = PackageJson(ClientDirectory);
        var version = typeof(AgentConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(version.Split('+')[0], package.GetProperty("version").GetString());
        Assert.Equal("routing-client", package.GetProperty("name").GetString());
        Assert.Equal("MIT", package.GetProperty("license").GetString());
        Assert.False(package.TryGetProperty("private", out _), "ready to publish");
        Assert.Equal(["@microsoft/signalr"], package.GetProperty("dependencies").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void ThePagesReachTheHubsOnlyThroughIt()
    {
        var dashboard = Path.Combine(Repository.Root, "Dashboard");
        var dependencies = PackageJson(dashboard).GetProperty("dependencies");
        Assert.Equal("file:../Api/routing-client-ts", dependencies.GetProperty("routing-client").GetString());
        Assert.False(dependencies.TryGetProperty("@microsoft/signalr", out _));
        var direct = Directory
            .EnumerateFiles(Path.Combine(dashboard, "src"), "*.ts", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains("@microsoft/signalr", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(dashboard, file));
        Assert.Empty(direct);
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task ItsOwnTestsPassAndItPacksItsCodeTypesAndReadme()
    {
        // Built by the silo's build (Silo/Routing.Silo/Routing.Silo.csproj), which this project references.
        await Command.RunAsync("npm", ["test", "--silent"], ClientDirectory);
        var packed = JsonDocument.Parse(await Command.RunAsync("npm", ["pack", "--dry-run", "--json"], ClientDirectory));
        var files = packed.RootElement[0].GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToList();
        foreach (var expected in new[] { "package.json", "README.md", "dist/index.js", "dist/index.d.ts", "dist/generated/hubs.d.ts" })
        {
            Assert.Contains(expected, files);
        }
        Assert.DoesNotContain(
            files,
            f => f.StartsWith("node_modules/", StringComparison.Ordinal) || f.StartsWith("codegen/", StringComparison.Ordinal)
        );
        Assert.DoesNotContain(files, f => f.StartsWith("test/", StringComparison.Ordinal));
    }

    private static JsonElement PackageJson(string directory) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "package.json"))).RootElement;
}
