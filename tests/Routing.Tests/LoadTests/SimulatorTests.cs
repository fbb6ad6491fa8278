using Routing.Contracts;
using Routing.LoadTests.Baselines;
using Routing.LoadTests.Reporting;
using Routing.LoadTests.Scenarios;
using Routing.LoadTests.Simulation;
using Routing.LoadTests.Targets;

namespace Routing.Tests.LoadTests;

/// <summary>
/// The load simulator keeps working: a small scenario through the real engine and through the raw matcher
/// ends with every conversation accounted for and every invariant held. Correctness only — the figures are the
/// simulator's business, not the suite's.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class SimulatorTests
{
    private static readonly Scenario Small = Scenario.Preset("smoke") with
    {
        Arrivals = new ArrivalCurve
        {
            BaseRatePerSecond = 40,
            WarmupSeconds = 1,
            PeakMultiplier = 3,
            PeakSeconds = 1,
            DecaySeconds = 0.5,
            CooldownSeconds = 0.5,
        },
        PatienceSecondsMean = 2,
        DeclineRate = 0.1,
        SelfServiceShare = 0, // every arrival to the line; the self-service step has its own test below
    };

    [Fact]
    public async Task ASmallPeakThroughTheEngineEndsWithEveryConversationAccountedForAndEveryInvariantHeld()
    {
        await using var engine = new EngineTarget();
        var result = await new LoadRunner(Small, engine, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.True(result.Passed, string.Join("; ", result.Violations));
        Assert.True(result.Created > 50);
        Assert.Equal(result.Created, result.Completed + result.Abandoned);
        Assert.Equal(0, result.Errors);
        Assert.True(result.Declined > 0, "the scenario should exercise declines");
    }

    [Fact]
    public async Task WithASelfServiceShareTheEngineResolvesAboutThatShareOfChatsAndTheQueuesSeeOnlyTheEscalatedOnes()
    {
        var selfServed = Small with { SelfServiceShare = 0.65, SelfServiceSecondsMean = 0.3, SelfServiceSecondsMin = 0.05 };
        await using var engine = new EngineTarget();
        var result = await new LoadRunner(selfServed, engine, TextWriter.Null).RunAsync(CancellationToken.None);
        var step = result.SelfService!;

        Assert.True(result.Passed, string.Join("; ", result.Violations));
        Assert.Equal(0, result.Errors);
        Assert.True(step.SelfServed > 100, $"{step.SelfServed} took the step");
        // about 200 chats and social conversations: a binomial's standard deviation is about 0.034 of the share
        Assert.InRange(step.DeflectionRate!.Value, 0.65 - 0.14, 0.65 + 0.14);
        Assert.Equal((0, 0), (step.EscalatedAtOnce, step.LeftStep)); // the bot answered every question, nobody left
        Assert.Equal(step.SelfServed, step.Deflected + step.Escalated);
        Assert.Equal(result.Created - step.Deflected, step.EnteredLine);
        Assert.Equal(result.Created, result.Completed + result.Abandoned + step.Deflected);
        Assert.Equal(step.Arrivals, result.Created + result.Refused);
        Assert.Equal(result.Created, result.Audit!.Conversations);
        Assert.Equal(step.Deflected, result.Audit.ByState.GetValueOrDefault(ConversationState.Resolved));
        Assert.Contains("deflection rate", Report.Markdown(result, [], "test"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABaselineWithoutTheStepIsGivenOnlyTheArrivalsTheStepWouldEscalate()
    {
        await using var raw = new RawMatcherTarget();
        var result = await new LoadRunner(
            Small with
            {
                SelfServiceShare = 0.65,
                SelfServiceSecondsMean = 0.3,
            },
            raw,
            TextWriter.Null
        ).RunAsync(CancellationToken.None);
        var step = result.SelfService!;

        Assert.True(result.Passed, string.Join("; ", result.Violations));
        Assert.False(step.InTarget);
        Assert.Equal(0, step.SelfServed);
        Assert.True(step.LeftToSelfService > step.Escalated, $"{step.LeftToSelfService} left out, {step.Escalated} escalated");
        Assert.Equal(step.Arrivals, result.Created + step.LeftToSelfService);
        Assert.Equal(result.Created, result.Completed + result.Abandoned);
    }

    [Fact]
    public async Task AnEngineOfferedFarMoreThanItsDoorTakesRefusesTheRestAndEndsEveryConversationItTook()
    {
        var flood = Small with
        {
            Arrivals = new ArrivalCurve
            {
                BaseRatePerSecond = 2_000,
                WarmupSeconds = 1,
                PeakMultiplier = 1,
                PeakSeconds = 0,
                DecaySeconds = 0,
                CooldownSeconds = 0,
            },
            PatienceSecondsMean = 0,
        };
        await using var engine = new EngineTarget(new Dictionary<string, string?> { ["Routing:Admission:MaxCreatesInFlight"] = "2" });
        var result = await new LoadRunner(flood, engine, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.True(result.Passed, string.Join("; ", result.Violations));
        Assert.True(result.Refused > 0, "two creates at a time cannot take 2,000 arrivals a second");
        Assert.True(result.Created > 0);
        Assert.Equal(result.Created, result.Completed + result.Abandoned);
        Assert.Equal(0, result.Errors);
        // Created, connected, completed: the ledger's counters reach the report (other tests' ledgers in this process only add).
        Assert.True(result.Cost!.LedgerWrites >= 2.99, $"{result.Cost.LedgerWrites} ledger writes per conversation");
    }

    [Fact]
    public async Task ARunWithMoreThanOnePerMilleOfCallsFailingFailsAndItsReportSaysSoFirst()
    {
        await using var failing = new FailingEveryTenthCreate(new RawMatcherTarget());
        var result = await new LoadRunner(Small, failing, TextWriter.Null).RunAsync(CancellationToken.None);

        var markdown = Report.Markdown(result, [], "test");

        Assert.Empty(result.Violations);
        Assert.True(result.FailedShare > RunResult.MaxFailedShare);
        Assert.False(result.Passed);
        Assert.StartsWith("# Load run: smoke, R: raw matcher — FAILED:", markdown.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWarmUpRunsBeforeTheNightAndOnlyTheNightIsCounted()
    {
        await using var raw = new RawMatcherTarget();
        var result = await new LoadRunner(Small, raw, TextWriter.Null, warmup: TimeSpan.FromSeconds(1)).RunAsync(CancellationToken.None);

        Assert.True(result.Passed, string.Join("; ", result.Violations));
        // the warm-up's 40 are not among them
        Assert.InRange(result.Created, 1, (long)Small.Arrivals.ArrivedBy(Small.Arrivals.TotalSeconds) + 1);
        Assert.Equal(result.Created, result.Completed + result.Abandoned);
        Assert.Contains("warm the server up", Report.Markdown(result, [], "test"), StringComparison.Ordinal);
    }

    [Fact]
    public void AnOfferMadeWhileAnotherAgentHeldOneIsADoubleOfferOnTheServersTimeline()
    {
        (string, string?)[] retried =
        [
            ("Created", null),
            ("Queued", null),
            ("Offered", "ann"),
            ("Queued", null),
            ("Offered", "bob"),
            ("Connected", "bob"),
            ("Completed", "bob"),
        ];
        (string, string?)[] twice = [("Created", null), ("Queued", null), ("Offered", "ann"), ("Offered", "bob"), ("Connected", "bob")];

        Assert.Empty(EndToEndTarget.DoubleOffersIn("c-1", retried));
        Assert.Equal(["c-2 offered to bob while ann held it (the server's timeline)"], EndToEndTarget.DoubleOffersIn("c-2", twice));
    }

    [Fact]
    public async Task TheRawMatcherBaselineRunsTheSameScenarioAndTheReportNamesBoth()
    {
        await using var raw = new RawMatcherTarget();
        var baseline = await new LoadRunner(Small, raw, TextWriter.Null).RunAsync(CancellationToken.None);
        var directory = Path.Combine(Path.GetTempPath(), "routing-report-" + Guid.NewGuid().ToString("N"));

        try
        {
            var markdown = await Report.WriteAsync(directory, baseline, [baseline], "test");

            Assert.True(baseline.Passed, string.Join("; ", baseline.Violations));
            Assert.Equal(baseline.Created, baseline.Completed + baseline.Abandoned);
            Assert.Contains("R: raw matcher", markdown);
            Assert.True(File.Exists(Path.Combine(directory, "report.json")));
            Assert.True(new FileInfo(Path.Combine(directory, "throughput.png")).Length > 1000);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A target whose every tenth create fails, as a server answering 500 would.</summary>
    private sealed class FailingEveryTenthCreate(ITarget inner) : ITarget
    {
        private int _creates;

        public string Name => inner.Name;

        public Task SetUpAsync(
            Scenario scenario,
            IReadOnlyList<AgentSpec> agents,
            IOfferSink offers,
            CancellationToken cancellationToken
        ) => inner.SetUpAsync(scenario, agents, offers, cancellationToken);

        public Task<string?> CreateAsync(ConversationSpec conversation) =>
            Interlocked.Increment(ref _creates) % 10 == 0
                ? throw new HttpRequestException("500 Internal Server Error")
                : inner.CreateAsync(conversation);

        public Task<bool> AcceptAsync(string agentId, string conversationId) => inner.AcceptAsync(agentId, conversationId);

        public Task DeclineAsync(string agentId, string conversationId) => inner.DeclineAsync(agentId, conversationId);

        public Task CompleteAsync(string agentId, string conversationId) => inner.CompleteAsync(agentId, conversationId);

        public Task<bool> AbandonAsync(string conversationId) => inner.AbandonAsync(conversationId);

        public ServerSample? SampleServer() => inner.SampleServer();

        public IReadOnlyList<string> ServerSideViolations() => inner.ServerSideViolations();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
