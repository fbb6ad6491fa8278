using static Routing.Policy.Tests.Generators.Build;

namespace Routing.Policy.Tests;

/// <summary>docs/routing.md, rule 7: estimated wait from the queue's recent answer rate.</summary>
public sealed class WaitEstimatorTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    /// <summary>An estimator that saw <paramref name="count"/> answers one second apart, starting at T0.</summary>
    private static WaitEstimator Answered(int count)
    {
        var estimator = new WaitEstimator(FiveMinutes);
        for (var i = 0; i < count; i++)
        {
            estimator.RecordAnswer(At(i));
        }
        return estimator;
    }

    [Fact]
    public void ThereIsNoEstimateBeforeAnythingWasAnswered() =>
        Assert.Null(new WaitEstimator(FiveMinutes).Estimate(3, agentReadyNow: false, T0));

    [Fact]
    public void AnswerRateIsAnswersInTheWindowPerSecond() => Assert.Equal(0.1, Answered(30).AnswersPerSecond(At(30)), 12);

    [Theory]
    [InlineData(0, 10)]
    [InlineData(4, 50)]
    [InlineData(29, 300)]
    public void EstimateIsConversationsAheadPlusOneOverTheAnswerRate(int ahead, double seconds) =>
        Assert.Equal(seconds, Answered(30).Estimate(ahead, agentReadyNow: false, At(30))!.Value.TotalSeconds, 6);

    [Fact]
    public void EstimateIsZeroWhenAnAgentIsReadyAndNobodyIsAhead()
    {
        Assert.Equal(TimeSpan.Zero, new WaitEstimator(FiveMinutes).Estimate(0, agentReadyNow: true, T0));
        Assert.Equal(TimeSpan.Zero, Answered(30).Estimate(0, agentReadyNow: true, At(30)));
    }

    [Fact]
    public void ReadyAgentDoesNotZeroTheEstimateOfAConversationWithOthersAhead() =>
        Assert.Equal(50, Answered(30).Estimate(4, agentReadyNow: true, At(30))!.Value.TotalSeconds, 6);

    [Fact]
    public void AnswerExactlyAWindowOldStillCounts() =>
        Assert.Equal(1 / FiveMinutes.TotalSeconds, Answered(1).AnswersPerSecond(T0 + FiveMinutes), 12);

    [Fact]
    public void AnswersOlderThanTheWindowAreForgotten()
    {
        var estimator = Answered(1);

        Assert.Equal(0, estimator.AnswersPerSecond(T0 + FiveMinutes + TimeSpan.FromTicks(1)));
        Assert.Null(estimator.Estimate(0, agentReadyNow: false, T0 + FiveMinutes + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void EstimateFollowsThePeakBackDown()
    {
        var estimator = Answered(30);
        estimator.RecordAnswer(At(200));
        estimator.RecordAnswer(At(250));

        // At 310 s the first ten answers (0–9 s) have left the window: 20 + 2 remain.
        Assert.Equal(22 / 300.0, estimator.AnswersPerSecond(At(310)), 12);
        Assert.Equal(2 / 300.0, estimator.AnswersPerSecond(At(400)), 12);
        Assert.Equal(600, estimator.Estimate(3, agentReadyNow: false, At(400))!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void RecordingAnAnswerForgetsTheOnesThatLeftTheWindow()
    {
        var estimator = Answered(10);
        estimator.RecordAnswer(At(305));

        // The answers at 0–4 s are more than 300 s old: those at 5–9 s and the new one remain.
        Assert.Equal(6 / 300.0, estimator.AnswersPerSecond(At(305)), 12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void WindowMustBePositive(double seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WaitEstimator(TimeSpan.FromSeconds(seconds)));
}
