namespace Routing.Contracts;

/// <summary>
/// A conversation waiting in a queue's line as a supervisor sees it: who, how long, what it asks for and which
/// step of its requirements is in force (<see cref="Step"/>, 0-based), who declined or missed it, and why no agent
/// could ever serve it (<see cref="Unservable"/>). <see cref="Offering"/>: an offer is out right now.
/// </summary>
public sealed record WaitingView(
    string ConversationId,
    string Channel,
    string? CustomerName,
    string? Tier,
    int Priority,
    DateTimeOffset WaitingSince,
    IReadOnlyList<SkillRequirementStep> Skills,
    int Step,
    IReadOnlyList<string> ExcludedAgents,
    string? Unservable,
    bool Offering
)
{
    /// <summary>Without the customer's name (see <see cref="Customer"/>).</summary>
    public override string ToString() =>
        $"WaitingView {{ ConversationId = {ConversationId}, Channel = {Channel}, Tier = {Tier}, Step = {Step}, Offering = {Offering} }}";
}

/// <summary>One second of a queue's history, for the supervisors' charts.</summary>
public sealed record QueueTick(DateTimeOffset At, int Waiting, double LongestWaitSeconds, double? ServiceLevelPercent);

/// <summary>The live figures of one queue (docs/routing.md, "Statistics").</summary>
public sealed record QueueStats(
    string QueueId,
    DateTimeOffset At,
    int Waiting,
    double LongestWaitSeconds,
    int Unservable,
    int AgentsAvailable,
    int AgentsBusy,
    int AgentsAway,
    int AgentsOffline,
    int Offered,
    int Connected,
    int Abandoned,
    int Completed,
    double? ServiceLevelPercent,
    double? AverageSpeedOfAnswerSeconds,
    double? AverageHandleTimeSeconds,
    double? EstimatedWaitSeconds,
    int WindowSeconds,
    int Deflected = 0,
    int Escalated = 0,
    bool Closed = false
);
