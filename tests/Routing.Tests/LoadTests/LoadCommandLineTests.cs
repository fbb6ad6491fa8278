using Routing.LoadTests;

namespace Routing.Tests.LoadTests;

/// <summary>The simulator's command line, as docs/operations.md ("Running a cluster") and loadtests/README.md use it.</summary>
public sealed class LoadCommandLineTests
{
    private static async Task<(int Exit, LoadOptions? Options)> Parse(params string[] args)
    {
        LoadOptions? parsed = null;
        var exit = await LoadCommandLine
            .Create(
                args,
                (options, _) =>
                {
                    parsed = options;
                    return Task.FromResult(0);
                }
            )
            .Parse(args)
            .InvokeAsync(new() { Output = TextWriter.Null, Error = TextWriter.Null });
        return (exit, parsed);
    }

    [Fact]
    public async Task TheClusterCommandOfTheReadmeParses()
    {
        var (exit, options) = await Parse("--mode", "e2e", "--server", "http://127.0.0.1:5081", "--baselines", "none");

        Assert.Equal(0, exit);
        Assert.Equal(new Uri("http://127.0.0.1:5081"), options!.Server);
        Assert.Equal(("e2e", "none", "singles-day"), (options.Mode, options.Baselines, options.Scenario));
    }

    [Fact]
    public async Task TheAuditReadsOneLedgerOfOneWorkspace()
    {
        var (exit, options) = await Parse("--mode", "audit", "--ledger", "data", "--workspace", "shop");
        Assert.Equal(0, exit);
        Assert.Equal(("audit", "data", "shop"), (options!.Mode, options.Ledger, options.Workspace));

        Assert.Equal("default", (await Parse("--mode", "audit", "--postgres", "Host=db")).Options!.Workspace);
        Assert.Null((await Parse("--mode", "audit")).Options); // which ledger?
        Assert.Null((await Parse("--mode", "audit", "--ledger", "data", "--postgres", "Host=db")).Options); // one, not two
        Assert.Null((await Parse("--mode", "engine", "--ledger", "data")).Options); // a load run audits its own
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("ftp://127.0.0.1/")]
    public async Task AServerThatIsNotAnHttpAddressIsRefusedBeforeAnythingRuns(string server)
    {
        var (exit, options) = await Parse("--mode", "e2e", "--server", server);

        Assert.NotEqual(0, exit);
        Assert.Null(options);
    }

    [Fact]
    public async Task TheClusterCommandWithAnAdminsTokenParsesAndTheReportShowsTheTokenAsAVariable()
    {
        string[] args =
        [
            "--mode",
            "e2e",
            "--server",
            "http://127.0.0.1:5081",
            "--token",
            "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl",
            "--baselines",
            "none",
        ];

        var (exit, options) = await Parse(args);

        Assert.Equal(0, exit);
        Assert.Equal("eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl", options!.Token);
        Assert.Equal("--mode e2e --server http://127.0.0.1:5081 --token \"$TOKEN\" --baselines none", options.CommandLine);
        Assert.Equal(
            "--mode e2e --server http://x:1 --token=\"$TOKEN\"",
            LoadOptions.Quote(["--mode", "e2e", "--server", "http://x:1", "--token=secret"])
        );
    }

    [Fact]
    public async Task WithoutATokenTheOptionIsNull()
    {
        var (exit, options) = await Parse("--mode", "e2e", "--server", "http://127.0.0.1:5081");

        Assert.Equal(0, exit);
        Assert.Null(options!.Token);
    }

    [Theory]
    [InlineData("Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl")]
    [InlineData("")]
    [InlineData("two\nlines")]
    public async Task ATokenThatIsNotATokenAloneIsRefusedBeforeAnythingRuns(string token)
    {
        var (exit, options) = await Parse("--mode", "e2e", "--server", "http://127.0.0.1:5081", "--token", token);

        Assert.NotEqual(0, exit);
        Assert.Null(options);
    }

    [Fact]
    public async Task ATokenWithoutAServerIsRefused()
    {
        var (exit, options) = await Parse("--mode", "e2e", "--token", "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl");

        Assert.NotEqual(0, exit);
        Assert.Null(options);
    }

    [Fact]
    public async Task ClusterSizesParseAsAListAndTheWarmUpDefaultsToFifteenSeconds()
    {
        var (exit, options) = await Parse("--mode", "e2e", "--silos", "1,2,3", "--postgres", "Host=127.0.0.1");

        Assert.Equal(0, exit);
        Assert.Equal([1, 2, 3], options!.Silos);
        Assert.Equal(15, options.WarmupSeconds);
    }

    [Theory]
    [InlineData("--mode", "e2e", "--silos", "0")]
    [InlineData("--mode", "e2e", "--silos", "1,x")]
    [InlineData("--mode", "engine", "--silos", "2")]
    [InlineData("--mode", "e2e", "--silos", "2", "--server", "http://127.0.0.1:5081")]
    [InlineData("--warmup", "-1")]
    public async Task ClusterSizesOutsideOneToEightOrWithoutATrueClusterRunAreRefused(params string[] args)
    {
        var (exit, options) = await Parse(args);

        Assert.NotEqual(0, exit);
        Assert.Null(options);
    }

    [Fact]
    public async Task TheSelfServiceShareIsOverriddenFromZeroToOneAndLeftToTheScenarioWithoutTheOption()
    {
        Assert.Equal(0, (await Parse("--scenario", "smoke", "--self-service", "0")).Options!.SelfServiceShare);
        Assert.Equal(0.5, (await Parse("--self-service", "0.5")).Options!.SelfServiceShare);
        Assert.Null((await Parse("--scenario", "smoke")).Options!.SelfServiceShare);
        Assert.Null((await Parse("--self-service", "1.5")).Options);
    }
}
