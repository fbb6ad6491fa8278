using System.Net;
using System.Text.Json;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// <c>dotnet run</c> — the README's first command — is Development with the sign-in without a password; whoever
/// names another environment gets that one, and never that sign-in.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class LaunchTests : IDisposable
{
    private static readonly string LaunchSettings = Path.Combine(
        Repository.Root,
        "Silo",
        "Routing.Silo",
        "Properties",
        "launchSettings.json"
    );

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "routing-launch-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public void NoLaunchProfileSetsTheEnvironmentOverTheOneGivenOnTheCommandLine()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(LaunchSettings));
        foreach (var profile in settings.RootElement.GetProperty("profiles").EnumerateObject())
        {
            var variables = profile.Value.TryGetProperty("environmentVariables", out var set)
                ? set.EnumerateObject().Select(v => v.Name).ToList()
                : [];
            Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT", variables);
            Assert.DoesNotContain("DOTNET_ENVIRONMENT", variables);
            Assert.False(
                profile.Value.TryGetProperty("commandLineArgs", out var args)
                    && args.GetString()!.Contains("environment", StringComparison.OrdinalIgnoreCase),
                $"profile {profile.Name} names an environment on the command line"
            );
        }
    }

    [Fact]
    public async Task DotnetRunWithoutAnEnvironmentIsDevelopmentWithTheDevelopmentSignIn()
    {
        await using var silo = await SiloProcess.StartWithDotnetRunAsync(_dataDirectory, new Dictionary<string, string>());
        var http = new HttpClient { BaseAddress = silo.Address };

        Assert.True((await (await http.GetAsync("/api/auth")).Body()).GetProperty("devSignIn").GetBoolean(), silo.Output);
        Assert.Equal(HttpStatusCode.OK, (await http.Post("/api/auth/dev-token", new { role = "admin" })).StatusCode);
    }

    [Theory]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    [InlineData("DOTNET_ENVIRONMENT")]
    public async Task DotnetRunAskedForProductionIsProductionWithoutTheDevelopmentSignIn(string variable)
    {
        await using var silo = await SiloProcess.StartWithDotnetRunAsync(
            _dataDirectory,
            new Dictionary<string, string> { [variable] = "Production" }
        );
        var http = new HttpClient { BaseAddress = silo.Address };

        Assert.False((await (await http.GetAsync("/api/auth")).Body()).GetProperty("devSignIn").GetBoolean(), silo.Output);
        Assert.NotEqual(HttpStatusCode.OK, (await http.Post("/api/auth/dev-token", new { role = "admin" })).StatusCode);
    }
}
