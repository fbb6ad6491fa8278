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
public sealed class SimulatorTests
{
    private static readonly Scenario Small = Scenario.Preset("smoke") with
    {
        Arrivals = new ArrivalCurve { BaseRatePerSecond = 40, WarmupSeconds = 1, PeakMultiplier = 3, PeakSeconds = 1, DecaySeconds = 0.5, CooldownSeconds = 0.5 },
        PatienceSecondsMean = 2,
        DeclineRate = 0.1,
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
}
