using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using Routing.Client;
using Routing.Contracts.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Packages;

/// <summary>
/// The client packages an integrator takes (docs/realtime.md, "Clients and their packages"): neither the client nor the
/// contracts reference Orleans; packed, they carry the repository's one version (the OpenAPI document's too), the MIT
/// licence expression and their README, and depend on the SignalR client, Microsoft.Extensions abstractions and each other.
/// </summary>
public sealed class ClientPackageTests
{
    [Fact]
    public void NeitherTheClientNorTheContractsReferenceOrleans()
    {
        foreach (var assembly in new[] { typeof(AgentConnection).Assembly, typeof(IAgentHub).Assembly })
        {
            var references = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
            Assert.DoesNotContain(references, name => name.StartsWith("Orleans", StringComparison.Ordinal));
        }
        Assert.Equal(
            ["System.Runtime"],
            typeof(IAgentHub)
                .Assembly.GetReferencedAssemblies()
                .Select(a => a.Name!)
                .Where(n => !n.StartsWith("System.", StringComparison.Ordinal) || n == "System.Runtime")
        );
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task PackedTheyCarryTheOneVersionTheLicenceTheReadmeAndNoOrleans()
    {
        var output = Directory.CreateTempSubdirectory("routing-packages-");
        try
        {
            foreach (var project in new[] { "Api/Routing.Realtime.Contracts", "Api/Routing.Client" })
            {
                await PackAsync(project, output.FullName);
            }
            var version = typeof(AgentConnection)
                .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
                .InformationalVersion.Split('+')[0];
            var openApi = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "Api/Routing.Api/openapi/v1.json")));
            Assert.Equal(version, openApi.RootElement.GetProperty("info").GetProperty("version").GetString());

            var contracts = Nuspec(output.FullName, "Routing.Realtime.Contracts", version);
            Assert.Empty(Dependencies(contracts));
            var client = Nuspec(output.FullName, "Routing.Client", version);
            var dependencies = Dependencies(client);
            Assert.Contains("Routing.Realtime.Contracts", dependencies);
            Assert.Contains("Microsoft.AspNetCore.SignalR.Client", dependencies);
            Assert.All(
                dependencies,
                id =>
                    Assert.True(
                        id is "Routing.Realtime.Contracts" or "Microsoft.AspNetCore.SignalR.Client"
                            || id.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal),
                        id
                    )
            );
            foreach (var nuspec in new[] { contracts, client })
            {
                Assert.Equal("MIT", Element(nuspec, "license").Value);
                Assert.Equal("expression", Element(nuspec, "license").Attribute("type")!.Value);
                Assert.Equal("README.md", Element(nuspec, "readme").Value);
                Assert.False(string.IsNullOrWhiteSpace(Element(nuspec, "description").Value));
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static Task PackAsync(string project, string output) =>
        Command.RunAsync(
            "dotnet",
            ["pack", Path.Combine(Repository.Root, project), "-c", "Release", "--no-build", "-o", output, "-nologo"]
        );

    /// <summary>The package's manifest, which also has to hold its README at the root.</summary>
    private static XDocument Nuspec(string directory, string id, string version)
    {
        using var package = ZipFile.OpenRead(Path.Combine(directory, $"{id}.{version}.nupkg"));
        Assert.NotNull(package.GetEntry("README.md"));
        using var manifest = package.GetEntry($"{id}.nuspec")!.Open();
        return XDocument.Load(manifest);
    }

    private static XElement Element(XDocument nuspec, string name) => nuspec.Descendants().Single(e => e.Name.LocalName == name);

    private static List<string> Dependencies(XDocument nuspec) =>
        [.. nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value)];
}
