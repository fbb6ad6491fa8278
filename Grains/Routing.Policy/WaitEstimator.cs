namespace Routing.Policy;

/// <summary>
/// docs/routing.md, rule 7: the estimated wait of a conversation from the queue's recent answer rate. With
/// <c>n</c> conversations ahead and answers coming at <c>r</c> per second, the wait is <c>(n + 1) / r</c>.
/// Answers are counted over a sliding window so the estimate follows the peak up and back down.
/// </summary>
public sealed class WaitEstimator
{
    private readonly Queue<DateTimeOffset> _answers = new();

    public WaitEstimator(TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Window = window;
    }

    public TimeSpan Window { get; }

    /// <summary>A conversation in this queue was answered (connected) at <paramref name="at"/>.</summary>
    public void RecordAnswer(DateTimeOffset at)
    {
        _answers.Enqueue(at);
        Prune(at);
    }

    /// <summary>Answers per second over the window ending at <paramref name="now"/>.</summary>
    public double AnswersPerSecond(DateTimeOffset now)
    {
        Prune(now);
        return _answers.Count / Window.TotalSeconds;
    }

    /// <summary>
    /// The estimated wait with <paramref name="ahead"/> conversations in front. Zero when an agent is ready for
    /// it now; null when nothing has been answered lately, so there is no rate to go by.
    /// </summary>
    public TimeSpan? Estimate(int ahead, bool agentReadyNow, DateTimeOffset now)
    {
        if (agentReadyNow && ahead == 0)
        {
            return TimeSpan.Zero;
        }
        var rate = AnswersPerSecond(now);
        return rate <= 0 ? null : TimeSpan.FromSeconds((ahead + 1) / rate);
    }

    private void Prune(DateTimeOffset now)
    {
        while (_answers.TryPeek(out var oldest) && now - oldest > Window)
        {
            _answers.Dequeue();
        }
    }
}
