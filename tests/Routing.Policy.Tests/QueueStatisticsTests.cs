using static Routing.Policy.Tests.Generators.Build;

namespace Routing.Policy.Tests;

/// <summary>docs/routing.md, "Statistics": a queue's rolling service level, speed of answer and handle time.</summary>
public sealed class QueueStatisticsTests
{
    private static readonly TimeSpan FifteenMinutes = TimeSpan.FromMinutes(15);

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    private static QueueStatistics New(double targetSeconds = 20) =>
        new(new ServiceLevelTarget(Seconds(targetSeconds), 80), FifteenMinutes);

    [Fact]
    public void NothingRecordedGivesZeroCountsAndNoAverages() =>
        Assert.Equal(new QueueStatisticsSnapshot(0, 0, 0, 0, null, null, null), New().Snapshot(T0));

    [Fact]
    public void CountsEveryKindOfEvent()
    {
        var statistics = New();
        statistics.RecordOffered(At(1));
        statistics.RecordOffered(At(2));
        statistics.RecordOffered(At(3));
        statistics.RecordConnected(At(4), Seconds(4));
        statistics.RecordConnected(At(5), Seconds(5));
        statistics.RecordAbandoned(At(6), Seconds(6));
        statistics.RecordCompleted(At(7), Seconds(60));

        var snapshot = statistics.Snapshot(At(10));

        Assert.Equal((3, 2, 1, 1), (snapshot.Offered, snapshot.Connected, snapshot.Abandoned, snapshot.Completed));
    }

    [Fact]
    public void ServiceLevelIsAnsweredWithinTargetOverAnsweredPlusAbandonedAfterTarget()
    {
        var statistics = New(targetSeconds: 20);
        statistics.RecordConnected(At(1), Seconds(5)); // within target
        statistics.RecordConnected(At(2), Seconds(20)); // within target: the target itself counts
        statistics.RecordConnected(At(3), Seconds(20.5)); // late
        statistics.RecordAbandoned(At(4), Seconds(10)); // gave up before the target: left out
        statistics.RecordAbandoned(At(5), Seconds(30)); // gave up after the target: counts against

        Assert.Equal(100.0 * 2 / (3 + 1), statistics.Snapshot(At(10)).ServiceLevelPercent);
    }

    [Fact]
    public void AbandonedBeforeTheTargetAloneGivesNoServiceLevel()
    {
        var statistics = New(targetSeconds: 20);
        statistics.RecordAbandoned(At(1), Seconds(20));

        Assert.Null(statistics.Snapshot(At(2)).ServiceLevelPercent);
    }

    [Fact]
    public void AbandonedAfterTheTargetAloneGivesZeroServiceLevel()
    {
        var statistics = New(targetSeconds: 20);
        statistics.RecordAbandoned(At(1), Seconds(21));

        Assert.Equal(0, statistics.Snapshot(At(2)).ServiceLevelPercent);
    }

    [Fact]
    public void AverageSpeedOfAnswerIsTheMeanWaitOfTheConnected()
    {
        var statistics = New();
        statistics.RecordConnected(At(1), Seconds(4));
        statistics.RecordConnected(At(2), Seconds(10));
        statistics.RecordAbandoned(At(3), Seconds(100));

        Assert.Equal(Seconds(7), statistics.Snapshot(At(5)).AverageSpeedOfAnswer);
    }

    [Fact]
    public void AverageHandleTimeIsTheMeanDurationOfTheCompleted()
    {
        var statistics = New();
        statistics.RecordCompleted(At(1), Seconds(120));
        statistics.RecordCompleted(At(2), Seconds(240));
        statistics.RecordCompleted(At(3), Seconds(300));

        var snapshot = statistics.Snapshot(At(5));

        Assert.Equal(Seconds(220), snapshot.AverageHandleTime);
        Assert.Null(snapshot.AverageSpeedOfAnswer);
    }

    [Fact]
    public void EventExactlyAWindowOldStillCounts()
    {
        var statistics = New();
        statistics.RecordConnected(T0, Seconds(5));

        Assert.Equal(1, statistics.Snapshot(T0 + FifteenMinutes).Connected);
    }

    [Fact]
    public void EventsOlderThanTheWindowDropOutOfEveryFigure()
    {
        var statistics = New(targetSeconds: 20);
        statistics.RecordOffered(T0);
        statistics.RecordConnected(T0, Seconds(5));
        statistics.RecordAbandoned(T0, Seconds(60));
        statistics.RecordCompleted(T0, Seconds(300));
        statistics.RecordConnected(At(600), Seconds(40));
        statistics.RecordCompleted(At(600), Seconds(100));

        var snapshot = statistics.Snapshot(T0 + FifteenMinutes + TimeSpan.FromTicks(1));

        Assert.Equal(new QueueStatisticsSnapshot(0, 1, 0, 1, 0, Seconds(40), Seconds(100)), snapshot);
    }

    [Fact]
    public void EverythingDropsOutOnceTheWindowHasPassed()
    {
        var statistics = New();
        statistics.RecordOffered(T0);
        statistics.RecordConnected(T0, Seconds(5));
        statistics.RecordAbandoned(T0, Seconds(60));
        statistics.RecordCompleted(T0, Seconds(300));

        Assert.Equal(new QueueStatisticsSnapshot(0, 0, 0, 0, null, null, null), statistics.Snapshot(At(3600)));
    }

    [Fact]
    public void ChangingTheTargetJudgesTheWindowByTheNewTarget()
    {
        var statistics = New(targetSeconds: 20);
        statistics.RecordConnected(At(1), Seconds(10));
        statistics.RecordAbandoned(At(2), Seconds(8));

        statistics.Target = new ServiceLevelTarget(Seconds(5), 80);

        Assert.Equal(0, statistics.Snapshot(At(3)).ServiceLevelPercent);
    }

    [Fact]
    public void ChangingTheTargetLeavesNoTraceOnceTheWindowHasPassed()
    {
        // Answered in 10 s against a 20 s target; then the target drops to 5 s and that answer leaves the window.
        var statistics = New(targetSeconds: 20);
        statistics.RecordConnected(T0, Seconds(10));
        statistics.Target = new ServiceLevelTarget(Seconds(5), 80);
        statistics.RecordConnected(At(1000), Seconds(30));

        Assert.Equal(0, statistics.Snapshot(At(1000)).ServiceLevelPercent);
    }
}
