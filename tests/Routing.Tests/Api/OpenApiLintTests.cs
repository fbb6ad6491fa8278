using System.Diagnostics;
using System.Text.Json.Nodes;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// The served OpenAPI document through Spectral, with spectral:oas and the OWASP API Security ruleset
/// (tests/openapi-lint/.spectral.yaml, whose every rule turned off says why): no errors. The linter is installed by
/// <c>npm ci</c> in tests/openapi-lint (./test.sh does it).
/// </summary>
[Trait("Speed", "Slow")]
[Collection(ApiCollection.Name)]
public sealed class OpenApiLintTests(ApiFactory api)
{
    private static readonly string LintDirectory = Path.Combine(Repository.Root, "tests", "openapi-lint");

    [Fact]
    public async Task TheServedDocumentHasNoLintErrors()
    {
        var document = await api.CreateClient().GetStringAsync("/openapi/v1.json");

        var errors = await LintAsync(document);

        Assert.True(errors.Count == 0, $"{errors.Count} lint errors:\n{string.Join('\n', errors)}");
    }

    /// <summary>The lint can fail: a request field whose limit is taken out is an error, named by its path.</summary>
    [Fact]
    public async Task ARequestFieldWithoutItsLimitIsALintError()
    {
        var document = JsonNode.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var name = document["components"]!["schemas"]!["QueueRequest"]!["properties"]!["name"]!.AsObject();
        Assert.True(name.Remove("maxLength"), "QueueRequest.name states no maxLength");
        var rank = document["components"]!["schemas"]!["QueueRankDto"]!["properties"]!["rank"]!.AsObject();
        Assert.True(rank.Remove("maximum"), "QueueRankDto.rank states no maximum");

        var errors = await LintAsync(document.ToJsonString());

        Assert.Contains(
            errors,
            e => e.StartsWith("request-string-limit components.schemas.QueueRequest.properties.name", StringComparison.Ordinal)
        );
        Assert.Contains(
            errors,
            e => e.StartsWith("request-integer-limit components.schemas.QueueRankDto.properties.rank", StringComparison.Ordinal)
        );
    }

    /// <summary>Spectral's errors for <paramref name="document"/>, each as "rule path: message".</summary>
    private static async Task<List<string>> LintAsync(string document)
    {
        var spectral = Path.Combine(LintDirectory, "node_modules", "@stoplight", "spectral-cli", "dist", "index.js");
        Assert.True(File.Exists(spectral), $"Spectral is not installed: run `npm ci` in {LintDirectory} (./test.sh does).");
        var file = Path.Combine(Path.GetTempPath(), $"routing-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = LintDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList = { spectral, "lint", "--ruleset", ".spectral.yaml", "--format", "json", "--fail-severity", "error", file },
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            var json = await output;
            // Spectral prints its results as JSON (an empty array when there are none); anything else is a failure to run.
            Assert.True(json.TrimStart().StartsWith('['), $"spectral exited {process.ExitCode}: {json}\n{await error}");
            var errors = JsonNode
                .Parse(json)!
                .AsArray()
                .Where(r => r!["severity"]!.GetValue<int>() == 0)
                .Select(r => $"{r!["code"]} {string.Join('.', r["path"]!.AsArray().Select(p => p!.ToString()))}: {r["message"]}")
                .ToList();
            Assert.True(errors.Count > 0 || process.ExitCode == 0, $"spectral exited {process.ExitCode} without errors: {await error}");
            return errors;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
