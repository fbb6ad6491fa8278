namespace Routing.Policy;

/// <summary>
/// A conversation waiting in a line, as the matcher sees it. <see cref="WaitingSince"/> is the original
/// creation time, kept across declines, timeouts and transfers, so wait accounting and aging never restart.
/// <see cref="Arrival"/> breaks ties between conversations created at the same instant (first in, first out).
/// </summary>
public sealed class WaitingConversation
{
    public WaitingConversation(
        string id,
        string queueId,
        string channel,
        int priority,
        DateTimeOffset waitingSince,
        long arrival,
        SkillPlan skills,
        IReadOnlySet<string>? excludedAgents = null,
        Overflow? overflow = null
    )
    {
        Id = id;
        QueueId = queueId;
        Channel = channel;
        Priority = priority;
        WaitingSince = waitingSince;
        Arrival = arrival;
        Skills = skills;
        ExcludedAgents = excludedAgents ?? new HashSet<string>(StringComparer.Ordinal);
        Overflow = overflow;
    }

    public string Id { get; }
    public string QueueId { get; }
    public string Channel { get; }
    public int Priority { get; }
    public DateTimeOffset WaitingSince { get; }
    public long Arrival { get; }
    public SkillPlan Skills { get; }

    /// <summary>Agents that declined or missed this conversation: it is never offered to them again.</summary>
    public IReadOnlySet<string> ExcludedAgents { get; }

    public Overflow? Overflow { get; }

    public TimeSpan WaitedAt(DateTimeOffset now) => now > WaitingSince ? now - WaitingSince : TimeSpan.Zero;
}

/// <summary>After <see cref="After"/> of waiting, agents of <see cref="QueueId"/> may take the conversation too.</summary>
public sealed record Overflow(string QueueId, TimeSpan After);
